export * from './config';
export * from './errors';
export * from './pagination';
export * from './service-app';
export * from './validation';
export * from './service-config';
export * from './geo';
export * from './grpc-errors';
