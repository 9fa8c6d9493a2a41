import { IsInt, IsOptional, IsString, IsUrl, Max, Min } from 'class-validator';

const URL_OPTIONS = { require_tld: false, protocols: ['http', 'https'] };

/** Environment of the console when it runs on its own (the embedded default passes these itself). */
export class ConsoleConfig {
  @IsString()
  HTTP_HOST: string = '0.0.0.0';

  @IsInt()
  @Min(0)
  @Max(65535)
  HTTP_PORT: number = 3005;

  /** The console as browsers reach it, e.g. `https://console.safecity.kz`; redirect URIs derive from it. */
  @IsOptional()
  @IsUrl(URL_OPTIONS)
  PUBLIC_URL?: string;

  @IsUrl(URL_OPTIONS)
  CAMERA_REGISTRY_URL: string = 'http://127.0.0.1:3001';

  @IsUrl(URL_OPTIONS)
  RECOGNITION_URL: string = 'http://127.0.0.1:3002';

  @IsUrl(URL_OPTIONS)
  INCIDENTS_URL: string = 'http://127.0.0.1:3003';

  @IsUrl(URL_OPTIONS)
  PREVENTION_URL: string = 'http://127.0.0.1:3004';

  /** `iss` of the OIDC provider; its discovery document is read from `<issuer>/.well-known/openid-configuration`. */
  @IsOptional()
  @IsString()
  OIDC_ISSUER?: string;

  /** Where the console itself reaches the provider when that differs from the issuer's host (compose). */
  @IsOptional()
  @IsUrl(URL_OPTIONS)
  OIDC_INTERNAL_URL?: string;

  @IsOptional()
  @IsUrl(URL_OPTIONS)
  OIDC_JWKS_URL?: string;

  @IsString()
  OIDC_AUDIENCE: string = 'safecity';

  /** The console's client at the provider: public with PKCE, or confidential with a secret. */
  @IsString()
  CONSOLE_OIDC_CLIENT_ID: string = 'safecity-console';

  @IsOptional()
  @IsString()
  CONSOLE_OIDC_CLIENT_SECRET?: string;

  /** Development: the platform's local issuer (its key directory) with the demo users' sign-in page. */
  @IsOptional()
  @IsString()
  LOCAL_ISSUER_DIR?: string;

  /** A tile server for the map, `{z}/{x}/{y}` template; without one the map shows outlines only. */
  @IsOptional()
  @IsString()
  MAP_TILE_URL?: string;

  @IsOptional()
  @IsString()
  MAP_TILE_ATTRIBUTION?: string;

  @IsInt()
  @Min(5)
  @Max(24 * 60)
  SESSION_IDLE_MINUTES: number = 12 * 60;
}
