export * from './unit-of-work';
export * from './unit-of-work.module';
