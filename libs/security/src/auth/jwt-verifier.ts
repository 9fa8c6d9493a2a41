import {
  createLocalJWKSet,
  createRemoteJWKSet,
  errors as joseErrors,
  jwtVerify,
  type JSONWebKeySet,
  type JWTPayload,
  type JWTVerifyGetKey,
} from 'jose';
import { isRole, type Principal, type Role } from '../principal';
import { isRegionCode } from '../regions';

/**
 * Only asymmetric algorithms: with a symmetric one (HS*) anyone holding the verification key could
 * mint tokens, and a verifier that accepted HS256 could be fed a token signed with the issuer's
 * *public* key as the HMAC secret. `none` is never accepted by jose's jwtVerify.
 */
export const ALLOWED_JWT_ALGORITHMS = ['RS256', 'ES256', 'PS256', 'EdDSA'] as const;
export type AllowedJwtAlgorithm = (typeof ALLOWED_JWT_ALGORITHMS)[number];

export const DEFAULT_CLOCK_TOLERANCE_SECONDS = 30;
/** Beyond this, an expired token would stay usable long enough to matter. */
export const MAX_CLOCK_TOLERANCE_SECONDS = 300;
export const DEFAULT_JWKS_COOLDOWN_MS = 30_000;

/** Why a token was refused; safe to show to the caller (it never contains the token). */
export class AuthenticationError extends Error {
  constructor(
    message: string,
    readonly code:
      | 'missing'
      | 'malformed'
      | 'expired'
      | 'not-yet-valid'
      | 'claims'
      | 'signature'
      | 'unknown-key'
      | 'algorithm'
      | 'no-role'
      | 'unavailable',
  ) {
    super(message);
    this.name = 'AuthenticationError';
  }
}

/** Anything that turns a bearer token into a principal, or throws {@link AuthenticationError}. */
export interface TokenVerifier {
  verify(token: string): Promise<Principal>;
  /**
   * The principal of a token this verifier has already verified and may still trust without
   * checking it again, synchronously; undefined when {@link verify} must decide.
   */
  verifiedRecently?(token: string): Principal | undefined;
}

export interface JwtVerifierOptions {
  /** Accepted `iss` value(s). */
  issuer: string | string[];
  /** Accepted `aud` value(s); the token must name at least one. */
  audience: string | string[];
  /** The identity provider's JWKS endpoint, e.g. Keycloak's `.../protocol/openid-connect/certs`. */
  jwksUrl?: string | URL;
  /** A fixed public key set instead of a URL (the embedded default's local issuer, tests). */
  jwks?: JSONWebKeySet;
  /** Allowed clock difference for `exp`/`nbf`/`iat`, seconds. Default 30, at most 300. */
  clockToleranceSeconds?: number;
  /**
   * Least time between two JWKS fetches, ms. A token with an unknown `kid` triggers a refetch (key
   * rotation), so without this anyone could make the service hammer the identity provider.
   */
  jwksCooldownMs?: number;
  /** JWKS fetch timeout, ms. Default 5000. */
  jwksTimeoutMs?: number;
  /** Refetch the JWKS at least this often even without unknown kids, ms. Default 10 min. */
  jwksMaxAgeMs?: number;
  /** Subset of {@link ALLOWED_JWT_ALGORITHMS}; default all of them. */
  algorithms?: AllowedJwtAlgorithm[];
}

/**
 * Verifies OIDC access tokens and maps their claims to a {@link Principal}.
 *
 * Claims read: `sub`; `name` or `preferred_username`; roles from `roles` and Keycloak's
 * `realm_access.roles` (only platform roles are kept; a token without any is refused); regions
 * from `regions` (codes such as `ALA`; `*` means all). An `admin` without a `regions` claim acts in
 * all regions, and so does a `service` identity, since services act for the whole platform.
 */
export class JwtVerifier implements TokenVerifier {
  private readonly keys: JWTVerifyGetKey;
  private readonly issuer: string[];
  private readonly audience: string[];
  private readonly clockTolerance: number;
  private readonly algorithms: AllowedJwtAlgorithm[];

  constructor(options: JwtVerifierOptions) {
    const tolerance = options.clockToleranceSeconds ?? DEFAULT_CLOCK_TOLERANCE_SECONDS;
    if (!(tolerance >= 0 && tolerance <= MAX_CLOCK_TOLERANCE_SECONDS)) {
      throw new RangeError(`clockToleranceSeconds must be between 0 and ${MAX_CLOCK_TOLERANCE_SECONDS}`);
    }
    const algorithms = options.algorithms ?? [...ALLOWED_JWT_ALGORITHMS];
    const refused = algorithms.filter((alg) => !(ALLOWED_JWT_ALGORITHMS as readonly string[]).includes(alg));
    if (refused.length > 0 || algorithms.length === 0) {
      throw new RangeError(`algorithms must be a non-empty subset of ${ALLOWED_JWT_ALGORITHMS.join(', ')}`);
    }
    if (Boolean(options.jwksUrl) === Boolean(options.jwks)) {
      throw new Error('JwtVerifier needs exactly one of jwksUrl and jwks');
    }
    this.issuer = toList(options.issuer, 'issuer');
    this.audience = toList(options.audience, 'audience');
    this.clockTolerance = tolerance;
    this.algorithms = algorithms;
    this.keys = options.jwksUrl
      ? createRemoteJWKSet(new URL(options.jwksUrl), {
          cooldownDuration: options.jwksCooldownMs ?? DEFAULT_JWKS_COOLDOWN_MS,
          timeoutDuration: options.jwksTimeoutMs ?? 5_000,
          cacheMaxAge: options.jwksMaxAgeMs ?? 600_000,
        })
      : createLocalJWKSet(options.jwks as JSONWebKeySet);
  }

  /**
   * Tokens verified recently. Services present the same token on every call (thousands per
   * second between recognition and camera-registry), and a signature check costs more than the
   * call itself; a cached answer never outlives the token's own expiry, nor a minute.
   */
  private readonly verified = new Map<string, { principal: Principal; until: number }>();

  verifiedRecently(token: string): Principal | undefined {
    const hit = this.verified.get(token);
    return hit && hit.until > Date.now() ? hit.principal : undefined;
  }

  async verify(token: string): Promise<Principal> {
    if (!token) throw new AuthenticationError('no bearer token', 'missing');
    const now = Date.now();
    const hit = this.verified.get(token);
    if (hit && hit.until > now) return hit.principal;
    if (hit) this.verified.delete(token);
    const principal = await this.verifyUncached(token);
    const exp = (principal as Principal & { expiresAt?: number }).expiresAt;
    if (this.verified.size >= VERIFIED_CACHE_MAX)
      this.verified.delete(this.verified.keys().next().value as string);
    this.verified.set(token, { principal, until: Math.min(exp ?? now, now + VERIFIED_CACHE_MS) });
    return principal;
  }

  private async verifyUncached(token: string): Promise<Principal> {
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(token, this.keys, {
        issuer: this.issuer,
        audience: this.audience,
        algorithms: this.algorithms,
        clockTolerance: this.clockTolerance,
        requiredClaims: ['sub', 'exp', 'iss', 'aud'],
      }));
    } catch (error) {
      throw translate(error);
    }
    // jose checks `iat` only against a maximum token age, so a token minted "in the future" (a
    // stolen key or a skewed issuer stretching its life) would pass; beyond the skew it is refused.
    if (typeof payload.iat === 'number' && payload.iat > Date.now() / 1000 + this.clockTolerance) {
      throw new AuthenticationError('token issued in the future', 'not-yet-valid');
    }
    const principal = principalFromClaims(payload);
    // Kept beside the principal only for the cache above; exp is required, so it is a number.
    Object.defineProperty(principal, 'expiresAt', {
      value: (payload.exp as number) * 1000,
      enumerable: false,
    });
    return principal;
  }
}

const VERIFIED_CACHE_MS = 60_000;
const VERIFIED_CACHE_MAX = 10_000;

function toList(value: string | string[], name: string): string[] {
  const list = (Array.isArray(value) ? value : [value]).filter((v) => v.length > 0);
  if (list.length === 0) throw new Error(`JwtVerifier needs a non-empty ${name}`);
  return list;
}

function translate(error: unknown): AuthenticationError {
  if (error instanceof AuthenticationError) return error;
  if (error instanceof joseErrors.JWTExpired) return new AuthenticationError('token expired', 'expired');
  if (error instanceof joseErrors.JWTClaimValidationFailed) {
    if (error.claim === 'nbf') return new AuthenticationError('token not yet valid', 'not-yet-valid');
    if (error.claim === 'iat' && error.reason === 'check_failed') {
      return new AuthenticationError('token issued in the future', 'not-yet-valid');
    }
    return new AuthenticationError(`token claim "${error.claim}" is not acceptable`, 'claims');
  }
  if (error instanceof joseErrors.JOSEAlgNotAllowed) {
    return new AuthenticationError('token signing algorithm not allowed', 'algorithm');
  }
  if (error instanceof joseErrors.JWSSignatureVerificationFailed) {
    return new AuthenticationError('token signature invalid', 'signature');
  }
  if (error instanceof joseErrors.JWKSNoMatchingKey || error instanceof joseErrors.JWKSMultipleMatchingKeys) {
    return new AuthenticationError('token signed by an unknown key', 'unknown-key');
  }
  if (error instanceof joseErrors.JWKSTimeout || error instanceof joseErrors.JWKSInvalid) {
    return new AuthenticationError('token keys unavailable', 'unavailable');
  }
  if (error instanceof joseErrors.JOSENotSupported) {
    return new AuthenticationError('token signing algorithm not allowed', 'algorithm');
  }
  // Malformed tokens, fetch failures and anything else: the caller learns nothing more.
  return new AuthenticationError('token invalid', 'malformed');
}

/** Maps verified claims to a principal; exported for verifiers of other token formats. */
export function principalFromClaims(payload: JWTPayload): Principal {
  const subject = payload.sub;
  if (typeof subject !== 'string' || subject.length === 0) {
    throw new AuthenticationError('token has no subject', 'claims');
  }
  const roles = rolesFrom(payload);
  if (roles.length === 0) throw new AuthenticationError('token carries no platform role', 'no-role');
  const kind = roles.includes('service') ? 'service' : 'user';
  const name = stringClaim(payload, 'name') ?? stringClaim(payload, 'preferred_username');
  return {
    kind,
    subject,
    ...(name ? { name } : {}),
    roles,
    regions: regionsFrom(payload, roles),
  };
}

function stringClaim(payload: JWTPayload, claim: string): string | undefined {
  const value = payload[claim];
  return typeof value === 'string' && value.length > 0 ? value : undefined;
}

function rolesFrom(payload: JWTPayload): Role[] {
  const raw: unknown[] = [];
  const direct = payload['roles'];
  if (Array.isArray(direct)) raw.push(...direct);
  else if (typeof direct === 'string') raw.push(...direct.split(/[\s,]+/));
  const realm = payload['realm_access'];
  if (realm && typeof realm === 'object' && Array.isArray((realm as { roles?: unknown }).roles)) {
    raw.push(...(realm as { roles: unknown[] }).roles);
  }
  return [...new Set(raw.filter(isRole))];
}

function regionsFrom(payload: JWTPayload, roles: Role[]): string[] | 'all' {
  const claim = payload['regions'];
  if (claim === undefined || claim === null) {
    return roles.includes('admin') || roles.includes('service') ? 'all' : [];
  }
  const values = (Array.isArray(claim) ? claim : typeof claim === 'string' ? claim.split(/[\s,]+/) : [])
    .filter((v): v is string => typeof v === 'string')
    .map((v) => v.trim().toUpperCase())
    .filter((v) => v.length > 0);
  if (values.includes('*')) return 'all';
  // Unknown codes are dropped rather than kept: they could never match a row, and keeping them
  // would let a typo in the identity provider look like a scope.
  return [...new Set(values.filter(isRegionCode))];
}
