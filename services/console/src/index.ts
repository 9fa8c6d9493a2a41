export * from './bootstrap';
export { DEMO_USERS, type DemoUser } from './local-sign-in/local-sign-in';
export { ensureWebAppBuilt, webAppIsCurrent } from './web/build-web';
