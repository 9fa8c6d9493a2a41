import { definePolicies } from './operation-policy';

/** The operations every service offers through this library. */
export const SECURITY_POLICIES = definePolicies('security', {
  /** `GET /audit-log`: auditors, in their regions. Records carry identifiers, never personal data. */
  readAuditLog: { callers: ['auditor'], regions: 'own', reveals: [] },
  /** The local issuer's public keys, for anything verifying the embedded default's tokens. */
  readIssuerKeys: { callers: 'anyone', regions: 'none', reveals: [] },
});
