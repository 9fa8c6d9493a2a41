/**
 * Roles of the platform. `service` is not a human role: it marks a platform service acting on its
 * own behalf (a client-credentials token, or one minted by the local issuer).
 */
export const PLATFORM_ROLES = [
  'admin',
  'region-admin',
  'operator',
  'supervisor',
  'analyst',
  'prevention-officer',
  'social-worker',
  'auditor',
  'service',
] as const;

export type Role = (typeof PLATFORM_ROLES)[number];

export type PrincipalKind = 'user' | 'service' | 'video-system';

/** Who is calling, as every handler and the audit log see it. */
export interface Principal {
  kind: PrincipalKind;
  /** Token subject; for a video system, its id. */
  subject: string;
  name?: string;
  roles: Role[];
  /** ISO 3166-2:KZ region codes (without `KZ-`) the principal may act in, or every region. */
  regions: string[] | 'all';
  /** Video systems only: the API key that authenticated the call (never its secret). */
  keyId?: string;
}

const ROLE_SET: ReadonlySet<string> = new Set(PLATFORM_ROLES);

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && ROLE_SET.has(value);
}

export function hasAnyRole(principal: Principal, roles: readonly Role[]): boolean {
  return roles.some((role) => principal.roles.includes(role));
}
