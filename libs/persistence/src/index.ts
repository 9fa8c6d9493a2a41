export * from './data-source';
export * from './embedded-postgres';
export * from './loopback-port';
export * from './test-database';
export * from './prepared-statement';
export * from './unit-of-work';
