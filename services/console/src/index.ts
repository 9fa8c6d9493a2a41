export * from './bootstrap';
export { DEMO_USERS, type DemoUser } from './local-sign-in/local-sign-in';
export { ensureWebAppBuilt, webAppIsCurrent } from './web/build-web';
export { en as consoleMessagesEn, kk as consoleMessagesKk, ru as consoleMessagesRu } from './messages';
