export * from './principal';
export * from './regions';

export * from './auth/jwt-verifier';
export * from './auth/local-issuer';
export * from './auth/local-issuer.controller';
export * from './auth/call-context';
export * from './auth/decorators';
export * from './auth/auth.guard';
export * from './auth/bearer-request';
export * from './auth/security-errors';
export * from './auth/service-credentials';
export * from './security.module';
export * from './accountability/service-accountability.module';

export * from './policy/operation-policy';
export * from './policy/decorators';
export * from './policy/use-case-handler';
export * from './policy/discovery';
export * from './policy/refusal-filter';
export * from './policy/security.policies';

export * from './region-scope/region-scope';
export * from './region-scope/scoped-queries';
export * from './region-scope/row-level-security';
export * from './region-scope/region-access';

export * from './api-keys/api-key';
export * from './api-keys/api-key.store';
export * from './api-keys/rate-limiter';
export * from './api-keys/api-key.authenticator';
export * from './api-keys/api-key.guard';

export * from './audit/canonical-json';
export * from './audit/audit-record';
export * from './audit/audit-table';
export * from './audit/audit-log';
export * from './audit/verify-chain';
export * from './audit/audit-query';
export * from './audit/purpose';

export * from './retention/retention-job';
export * from './identity';
export * from './secrets/media-credentials';
