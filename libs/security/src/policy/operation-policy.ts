import { ForbiddenException } from '@nestjs/common';
import { hasAnyRole, isRole, type Principal, type Role } from '../principal';
import { RegionScope } from '../region-scope/region-scope';

/**
 * Personal data an operation can reveal, each with what the audit log keeps of its disclosures,
 * which the operations revealing it write in the transaction that reads it.
 */
export const DATA_CLASSES = {
  biometric: {
    what: 'face matches, face watchlist entries and templates, face pictures',
    audit: 'every disclosure, with the reader, the purpose and the legal basis of the entries',
  },
  plate: {
    what: 'plate hotlist entries and plate matches',
    audit:
      'every read of a hotlist entry or a match, where they are kept (recognition); a plate on an ' +
      "incident is the operations center's working data, bounded by retention",
  },
  'case-subject': {
    what: "name, ID number, birth date, address and notes of a prevention case's subject",
    audit: 'every disclosure, with the purpose the reader states; without one, nothing is shown',
  },
  'citizen-contact': {
    what: 'the contact a citizen gave with a report, kept only with consent',
    audit: 'kept for call-backs through the channel; no operation discloses it',
  },
} as const;

export type DataClass = keyof typeof DATA_CLASSES;

/**
 * Whose data an operation reaches, by region.
 * - `own`: objects of the caller's regions; another region's object is answered as a missing one.
 * - `national`: data of every region at once (a national SOP): only callers holding every region.
 * - `none`: not region data (reference data, a citizen's own acknowledgement).
 */
export type RegionRule = 'own' | 'national' | 'none';

/**
 * Who may call: platform roles (any one of them), `anyone` (no token at all: a citizen checking
 * a report), or `video-systems` (an API key of a video system instead of a token).
 */
export type Callers = readonly Role[] | 'anyone' | 'video-systems';

export interface PolicySpec {
  callers: Callers;
  regions: RegionRule;
  /** Personal data the answer can carry; empty when none. */
  reveals: readonly DataClass[];
}

/** The authorization policy of one operation of a service, whichever transport calls it. */
export interface OperationPolicy extends PolicySpec {
  /** `<service>.<operation>`, e.g. `incidents.transitionIncident`. */
  readonly name: string;
  readonly service: string;
  readonly operation: string;
}

/**
 * Declares the policies of a service's operations, once per operation: the REST route and the gRPC
 * method of one operation name the same policy (`@Operation`), and so does the service method both
 * reach (`@UseCase`).
 */
export function definePolicies<K extends string>(
  service: string,
  specs: Record<K, PolicySpec>,
): Readonly<Record<K, OperationPolicy>> {
  const policies = {} as Record<K, OperationPolicy>;
  for (const operation of Object.keys(specs) as K[]) {
    const spec = specs[operation];
    if (typeof spec.callers !== 'string') {
      const unknown = spec.callers.filter((role) => !isRole(role));
      if (spec.callers.length === 0 || unknown.length > 0) {
        throw new Error(
          `${service}.${operation}: callers must be platform roles, got ${String(spec.callers)}`,
        );
      }
    } else if (spec.callers !== 'anyone' && spec.callers !== 'video-systems') {
      throw new Error(`${service}.${operation}: unknown callers ${JSON.stringify(spec.callers)}`);
    }
    for (const dataClass of spec.reveals) {
      if (!(dataClass in DATA_CLASSES))
        throw new Error(`${service}.${operation}: unknown data class ${dataClass}`);
    }
    policies[operation] = Object.freeze({
      ...spec,
      callers: typeof spec.callers === 'string' ? spec.callers : Object.freeze([...spec.callers]),
      reveals: Object.freeze([...spec.reveals]),
      name: `${service}.${operation}`,
      service,
      operation,
    });
  }
  return Object.freeze(policies);
}

/** A call the operation's policy does not admit: 403, gRPC PERMISSION_DENIED. */
export class OperationRefusedException extends ForbiddenException {
  constructor(
    readonly policy: OperationPolicy | undefined,
    reason: string,
  ) {
    super({ statusCode: 403, error: 'Forbidden', message: reason });
  }
}

/** Why `principal` may not run the operation, or null when it may. */
export function refusalOf(policy: OperationPolicy, principal: Principal | undefined): string | null {
  if (policy.callers === 'anyone') return null;
  if (!principal) return `${policy.operation} needs an authenticated caller`;
  if (policy.callers === 'video-systems') {
    return principal.kind === 'video-system' ? null : `${policy.operation} is called by video systems`;
  }
  if (principal.kind === 'video-system') return `${policy.operation} is not open to video systems`;
  if (!hasAnyRole(principal, policy.callers))
    return `requires one of the roles: ${policy.callers.join(', ')}`;
  if (policy.regions === 'national' && principal.regions !== 'all') {
    return `${policy.operation} changes data of every region: only national roles may`;
  }
  return null;
}

/** Throws {@link OperationRefusedException} unless the policy admits `principal`. */
export function authorize(policy: OperationPolicy, principal: Principal | undefined): void {
  const reason = refusalOf(policy, principal);
  if (reason !== null) throw new OperationRefusedException(policy, reason);
}

/** Whether a role, acting alone in every region or in one, is admitted (for generated tests). */
export function admitsRole(policy: OperationPolicy, role: Role, regions: 'all' | string[]): boolean {
  return (
    refusalOf(policy, {
      kind: role === 'service' ? 'service' : 'user',
      subject: 'x',
      roles: [role],
      regions,
    }) === null
  );
}

function isPrincipal(value: unknown): value is Principal {
  if (typeof value !== 'object' || value === null) return false;
  const p = value as Partial<Principal>;
  return (
    (p.kind === 'user' || p.kind === 'service' || p.kind === 'video-system') &&
    typeof p.subject === 'string' &&
    Array.isArray(p.roles) &&
    (p.regions === 'all' || Array.isArray(p.regions))
  );
}

/**
 * The caller among a use case's arguments: a principal, a region scope built from one
 * (`RegionScope.of(principal)`), or a reader (`{ actor: principal, … }`). Undefined when none is
 * there: a use case called without its caller is refused.
 */
export function callerAmong(args: readonly unknown[]): Principal | undefined {
  for (const arg of args) {
    if (isPrincipal(arg)) return arg;
    if (arg instanceof RegionScope && arg.caller) return arg.caller;
    if (typeof arg === 'object' && arg !== null && isPrincipal((arg as { actor?: unknown }).actor)) {
      return (arg as { actor: Principal }).actor;
    }
  }
  return undefined;
}
