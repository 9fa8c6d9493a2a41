export * from './config';
export * from './errors';
export * from './pagination';
export * from './service-app';
export * from './validation';
export * from './service-config';
export * from './geo';
export * from './grpc-errors';
export * from './raw-body';
export * from './request-input';
export * from './security-headers';
export * from './edge-exception.filter';
export * from './grpc-input';
export * from './openapi/document';
export * from './openapi/dto-schemas';
export * from './openapi/routes';
export {
  DomainErrorCode,
  DomainError,
  NotFoundError,
  ConflictError,
  InvalidError,
  ForbiddenError,
  UnavailableError,
  TooFrequentError,
} from './domain-errors/domain-error';
export * from './domain-errors/http-problem';
export * from './domain-errors/grpc-status';
