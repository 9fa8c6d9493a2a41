export * from './infra';
export * from './kafka';
export * from './identity';
export * from './authorization-matrix';
