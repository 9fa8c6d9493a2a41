import { ClientCredentialsTokenSource, LocalServiceTokenSource } from './auth/service-credentials';
import { LocalIssuer } from './auth/local-issuer';
import type { SecurityModuleOptions } from './security.module';

/** Where a service's users and its own service identity come from. */
export type IdentitySetup =
  | { kind: 'local'; issuer: LocalIssuer }
  | {
      kind: 'oidc';
      issuer: string;
      audience: string;
      jwksUrl: string;
      clientCredentials?: { tokenUrl: string; clientId: string; clientSecret: string };
    };

/**
 * Identity settings every service reads from its environment (validated by the service's config
 * class): a real OIDC provider (Keycloak) in production, or the embedded default's local issuer
 * for development and tests.
 */
export interface IdentitySettings {
  /** `iss` of accepted tokens, e.g. `https://sso.example.kz/realms/safecity`. */
  OIDC_ISSUER?: string;
  OIDC_AUDIENCE: string;
  OIDC_JWKS_URL?: string;
  /** Token endpoint for the service's own identity (client credentials grant). */
  OIDC_TOKEN_URL?: string;
  OIDC_CLIENT_ID?: string;
  OIDC_CLIENT_SECRET?: string;
  /** Use the local issuer's key in this directory instead of an OIDC provider (development). */
  LOCAL_ISSUER_DIR?: string;
  IDENTITY?: 'oidc' | 'local';
}

export async function identityFromConfig(config: IdentitySettings): Promise<IdentitySetup> {
  const mode =
    config.IDENTITY ?? (config.OIDC_JWKS_URL ? 'oidc' : config.LOCAL_ISSUER_DIR ? 'local' : undefined);
  if (mode === 'local') {
    if (!config.LOCAL_ISSUER_DIR) throw new Error('IDENTITY=local needs LOCAL_ISSUER_DIR');
    return { kind: 'local', issuer: await LocalIssuer.open({ directory: config.LOCAL_ISSUER_DIR }) };
  }
  if (mode === 'oidc') {
    if (!config.OIDC_JWKS_URL || !config.OIDC_ISSUER)
      throw new Error('OIDC needs OIDC_ISSUER and OIDC_JWKS_URL');
    const { OIDC_TOKEN_URL: tokenUrl, OIDC_CLIENT_ID: clientId, OIDC_CLIENT_SECRET: clientSecret } = config;
    return {
      kind: 'oidc',
      issuer: config.OIDC_ISSUER,
      audience: config.OIDC_AUDIENCE,
      jwksUrl: config.OIDC_JWKS_URL,
      clientCredentials:
        tokenUrl && clientId && clientSecret ? { tokenUrl, clientId, clientSecret } : undefined,
    };
  }
  throw new Error(
    'no identity provider: set OIDC_ISSUER and OIDC_JWKS_URL, or LOCAL_ISSUER_DIR for development',
  );
}

/** SecurityModule options for a service: how to verify tokens, and how to get its own. */
export function securityOptionsFor(identity: IdentitySetup, serviceName: string): SecurityModuleOptions {
  if (identity.kind === 'local') {
    return {
      verifier: identity.issuer.verifier(),
      serviceTokens: new LocalServiceTokenSource(identity.issuer, { serviceName }),
    };
  }
  return {
    jwksUrl: identity.jwksUrl,
    issuer: identity.issuer,
    audience: identity.audience,
    serviceTokens: identity.clientCredentials
      ? new ClientCredentialsTokenSource({ ...identity.clientCredentials, audience: identity.audience })
      : undefined,
  };
}
