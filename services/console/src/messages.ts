// The web application's messages, for tests that check what the screens show in each language.
export { en, type MessageKey } from '../web/src/i18n/en';
export { kk } from '../web/src/i18n/kk';
export { ru } from '../web/src/i18n/ru';
