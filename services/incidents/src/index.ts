export * from './bootstrap';
// The embedded default reloads the operations centers right after seeding them.
export { OperationsCenterSync } from './operations/operations-center.sync';
