import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LocalIssuer, type IdentitySetup, type Role } from '@safecity/security';

export interface TestIdentity {
  identity: IdentitySetup;
  issuer: LocalIssuer;
  /** Directory of the issuer's key, for services started as their own process (LOCAL_ISSUER_DIR). */
  directory: string;
  /** A bearer token for a person with these roles and regions (`'all'` for every region). */
  token(roles: Role | Role[], regions?: string[] | 'all', subject?: string): Promise<string>;
  /** `Authorization` header value for the same. */
  bearer(roles: Role | Role[], regions?: string[] | 'all', subject?: string): Promise<string>;
}

/** A local issuer with its own key, so a suite can mint any user's token. */
export async function createTestIdentity(): Promise<TestIdentity> {
  const directory = mkdtempSync(join(tmpdir(), 'safecity-issuer-'));
  const issuer = await LocalIssuer.open({ directory });
  const token = (roles: Role | Role[], regions: string[] | 'all' = 'all', subject = 'test-user') =>
    issuer.issue({ subject, roles: Array.isArray(roles) ? roles : [roles], regions, ttlSeconds: 3600 });
  return {
    identity: { kind: 'local', issuer },
    issuer,
    directory,
    token,
    bearer: async (roles, regions, subject) => `Bearer ${await token(roles, regions, subject)}`,
  };
}
