import { IsBoolean, IsIn, IsOptional, IsString, IsUrl, Length, Matches } from 'class-validator';
import { EnvFlag } from './config';

/**
 * Environment every standalone service reads; each service's config class adds its own. The
 * `OIDC_*` and `LOCAL_ISSUER_DIR` settings are what `identityFromConfig` (@safecity/security) takes.
 */
export class ServiceConfig {
  @Matches(/^postgres(ql)?:\/\//, { message: 'DATABASE_URL must be a postgres:// URL' })
  DATABASE_URL!: string;

  /** Comma-separated Kafka bootstrap servers. */
  @IsString()
  KAFKA_BROKERS!: string;

  @IsString()
  HTTP_HOST: string = '0.0.0.0';

  /** Apply pending migrations at start-up (otherwise run `npm run migrate -- <service>`). */
  @EnvFlag()
  @IsBoolean()
  RUN_MIGRATIONS: boolean = false;

  @IsOptional()
  @IsIn(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
  LOG_LEVEL?: string;

  /** `iss` of accepted tokens, e.g. `https://sso.example.kz/realms/safecity`. */
  @IsOptional()
  @IsString()
  OIDC_ISSUER?: string;

  @IsString()
  @Length(1, 200)
  OIDC_AUDIENCE: string = 'safecity';

  @IsOptional()
  @IsUrl({ require_tld: false, protocols: ['http', 'https'] })
  OIDC_JWKS_URL?: string;

  /** Token endpoint for the service's own identity (client credentials grant). */
  @IsOptional()
  @IsUrl({ require_tld: false, protocols: ['http', 'https'] })
  OIDC_TOKEN_URL?: string;

  @IsOptional()
  @IsString()
  OIDC_CLIENT_ID?: string;

  @IsOptional()
  @IsString()
  OIDC_CLIENT_SECRET?: string;

  /** Use the local issuer's key in this directory instead of an OIDC provider (development). */
  @IsOptional()
  @IsString()
  LOCAL_ISSUER_DIR?: string;

  @IsOptional()
  @IsIn(['oidc', 'local'])
  IDENTITY?: 'oidc' | 'local';
}
