import {
  Module,
  type DynamicModule,
  type InjectionToken,
  type ModuleMetadata,
  type Provider,
} from '@nestjs/common';
import { APP_GUARD, DiscoveryModule, DiscoveryService } from '@nestjs/core';
import {
  ApiKeyAuthenticator,
  type ApiKeyAuthenticatorOptions,
  type ApiKeyVerifier,
} from './api-keys/api-key.authenticator';
import { API_KEY_AUTHENTICATOR, ApiKeyGuard } from './api-keys/api-key.guard';
import { AUTH_GUARD_OPTIONS, AuthGuard, TOKEN_VERIFIER, type AuthGuardOptions } from './auth/auth.guard';
import { installGrpcGuard } from './auth/grpc-guard-installer';
import { JwtVerifier, type JwtVerifierOptions, type TokenVerifier } from './auth/jwt-verifier';
import { ServiceCredentials, type ServiceTokenSource } from './auth/service-credentials';
import {
  ServiceAccountabilityModule,
  type ServiceAccountabilityOptions,
} from './accountability/service-accountability.module';

export interface SecurityApiKeyOptions extends ApiKeyAuthenticatorOptions {
  /** Usually `new ApiKeyStore(dataSource)`. */
  store: ApiKeyVerifier;
}

export interface SecurityModuleOptions extends AuthGuardOptions {
  /** A ready verifier (the local issuer's, a test's). Otherwise give jwksUrl, issuer and audience. */
  verifier?: TokenVerifier;
  jwksUrl?: string;
  issuer?: string | string[];
  audience?: string | string[];
  clockToleranceSeconds?: number;
  jwksCooldownMs?: number;
  /** Enables `@VideoSystemAuth()` routes. */
  apiKeys?: SecurityApiKeyOptions;
  /** This service's own identity for calls to other services (`ServiceCredentials.asService()`). */
  serviceTokens?: ServiceTokenSource;
}

export interface SecurityModuleAsyncOptions {
  imports?: ModuleMetadata['imports'];
  inject?: InjectionToken[];
  useFactory: (...args: never[]) => SecurityModuleOptions | Promise<SecurityModuleOptions>;
}

const SECURITY_OPTIONS = Symbol.for('safecity:security:SECURITY_OPTIONS');
const GRPC_GUARD_INSTALLED = Symbol.for('safecity:security:GRPC_GUARD_INSTALLED');

function verifierFrom(options: SecurityModuleOptions): TokenVerifier {
  if (options.verifier) return options.verifier;
  if (!options.jwksUrl || !options.issuer || !options.audience) {
    throw new Error('SecurityModule needs either `verifier` or `jwksUrl`, `issuer` and `audience`');
  }
  const jwt: JwtVerifierOptions = {
    jwksUrl: options.jwksUrl,
    issuer: options.issuer,
    audience: options.audience,
    clockToleranceSeconds: options.clockToleranceSeconds,
    jwksCooldownMs: options.jwksCooldownMs,
  };
  return new JwtVerifier(jwt);
}

const derivedProviders: Provider[] = [
  { provide: TOKEN_VERIFIER, useFactory: verifierFrom, inject: [SECURITY_OPTIONS] },
  {
    provide: AUTH_GUARD_OPTIONS,
    useFactory: (options: SecurityModuleOptions): AuthGuardOptions => ({ publicPaths: options.publicPaths }),
    inject: [SECURITY_OPTIONS],
  },
  {
    provide: API_KEY_AUTHENTICATOR,
    useFactory: (options: SecurityModuleOptions) =>
      options.apiKeys ? new ApiKeyAuthenticator(options.apiKeys.store, options.apiKeys) : null,
    inject: [SECURITY_OPTIONS],
  },
  {
    provide: ServiceCredentials,
    useFactory: (options: SecurityModuleOptions) => new ServiceCredentials(options.serviceTokens),
    inject: [SECURITY_OPTIONS],
  },
  AuthGuard,
  ApiKeyGuard,
  { provide: APP_GUARD, useExisting: AuthGuard },
  { provide: GRPC_GUARD_INSTALLED, useFactory: installGrpcGuard, inject: [DiscoveryService, AuthGuard] },
];

const exported = [TOKEN_VERIFIER, API_KEY_AUTHENTICATOR, ServiceCredentials, AuthGuard, ApiKeyGuard];

/**
 * Authentication and authorization for one service, imported once in its root module. Registers
 * `AuthGuard` globally (and in front of every gRPC handler, which `APP_GUARD` does not reach in a
 * hybrid application): from then on every HTTP route and gRPC method serves an operation
 * (`@Operation(policy)`) and admits only the callers its policy names; only `publicPaths` need none.
 */
@Module({})
export class SecurityModule {
  static forRoot(options: SecurityModuleOptions): DynamicModule {
    // Fail at startup, not on the first request.
    verifierFrom(options);
    return {
      module: SecurityModule,
      global: true,
      imports: [DiscoveryModule],
      providers: [{ provide: SECURITY_OPTIONS, useValue: options }, ...derivedProviders],
      exports: exported,
    };
  }

  /**
   * The audit log, the auditors' audit-log route and the retention job of one service, in place
   * of writing them out in each service's module. Import it where the service's features are
   * (it is not global: each service of a process has its own schema).
   */
  static forService(options: ServiceAccountabilityOptions): DynamicModule {
    return ServiceAccountabilityModule.register(options);
  }

  static forRootAsync(options: SecurityModuleAsyncOptions): DynamicModule {
    return {
      module: SecurityModule,
      global: true,
      imports: [DiscoveryModule, ...(options.imports ?? [])],
      providers: [
        { provide: SECURITY_OPTIONS, useFactory: options.useFactory, inject: options.inject ?? [] },
        ...derivedProviders,
      ],
      exports: exported,
    };
  }
}
