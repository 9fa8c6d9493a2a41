import 'reflect-metadata';
import type { Principal, Role } from '../principal';
import { RegionScope } from '../region-scope/region-scope';
import { UseCase, useCasePolicyOf } from './decorators';
import { admitsRole, definePolicies, OperationRefusedException, refusalOf } from './operation-policy';

const P = definePolicies('cases', {
  readCase: { callers: ['prevention-officer', 'social-worker'], regions: 'own', reveals: ['case-subject'] },
  publishRules: { callers: ['admin'], regions: 'national', reveals: [] },
  checkStatus: { callers: 'anyone', regions: 'none', reveals: [] },
  ingest: { callers: 'video-systems', regions: 'own', reveals: [] },
});

const person = (roles: Role[], regions: Principal['regions'] = ['ALA']): Principal => ({
  kind: 'user',
  subject: `${roles.join('+')}@${String(regions)}`,
  roles,
  regions,
});

class Cases {
  @UseCase(P.readCase)
  async read(id: string, actor: Principal) {
    return { id, by: actor.subject };
  }

  @UseCase(P.readCase)
  list(scope: RegionScope) {
    return scope.regions;
  }

  @UseCase(P.readCase)
  async readFor(id: string, reader: { actor: Principal; purpose: string }) {
    return { id, purpose: reader.purpose };
  }

  @UseCase(P.publishRules)
  async publish(actor: Principal) {
    return actor.subject;
  }
}

describe('operation policies', () => {
  it('names each policy after its service and operation, and refuses unknown roles or data classes', () => {
    expect(P.readCase).toMatchObject({ name: 'cases.readCase', service: 'cases', operation: 'readCase' });
    expect(Object.isFrozen(P.readCase)).toBe(true);
    expect(() =>
      definePolicies('x', { y: { callers: ['janitor' as Role], regions: 'own', reveals: [] } }),
    ).toThrow(/platform roles/);
    expect(() => definePolicies('x', { y: { callers: [], regions: 'own', reveals: [] } })).toThrow(
      /platform roles/,
    );
    expect(() =>
      definePolicies('x', { y: { callers: ['admin'], regions: 'own', reveals: ['dna' as 'plate'] } }),
    ).toThrow(/unknown data class/);
  });

  it('admits the roles it names and no other, admin included', () => {
    expect(refusalOf(P.readCase, person(['social-worker']))).toBeNull();
    expect(refusalOf(P.readCase, person(['admin'], 'all'))).toMatch(/requires one of the roles/);
    expect(refusalOf(P.readCase, undefined)).toMatch(/needs an authenticated caller/);
    expect(refusalOf(P.checkStatus, undefined)).toBeNull();
  });

  it('admits to national data only callers holding every region', () => {
    expect(refusalOf(P.publishRules, person(['admin'], ['ALA']))).toMatch(/only national roles/);
    expect(refusalOf(P.publishRules, person(['admin'], 'all'))).toBeNull();
    expect(admitsRole(P.publishRules, 'admin', ['AST'])).toBe(false);
    expect(admitsRole(P.publishRules, 'admin', 'all')).toBe(true);
  });

  it('keeps video systems and people apart', () => {
    const camera: Principal = { kind: 'video-system', subject: 'vs-1', roles: [], regions: ['ALA'] };
    expect(refusalOf(P.ingest, camera)).toBeNull();
    expect(refusalOf(P.ingest, person(['admin'], 'all'))).toMatch(/called by video systems/);
    expect(refusalOf(P.readCase, { ...camera, roles: ['social-worker'] })).toMatch(
      /not open to video systems/,
    );
  });
});

describe('@UseCase', () => {
  const cases = new Cases();

  it('runs the use case for a caller its policy admits, found as a principal, a scope or a reader', async () => {
    const worker = person(['social-worker']);
    await expect(cases.read('c1', worker)).resolves.toEqual({ id: 'c1', by: worker.subject });
    expect(cases.list(RegionScope.of(worker))).toEqual(['ALA']);
    await expect(cases.readFor('c1', { actor: worker, purpose: 'review' })).resolves.toEqual({
      id: 'c1',
      purpose: 'review',
    });
  });

  it('refuses a caller the policy does not admit, as a rejected promise of an async use case', async () => {
    await expect(cases.read('c1', person(['analyst']))).rejects.toBeInstanceOf(OperationRefusedException);
    await expect(cases.publish(person(['admin'], ['ALA']))).rejects.toMatchObject({
      status: 403,
      policy: P.publishRules,
    });
    expect(() => cases.list(RegionScope.of(person(['operator'])))).toThrow(OperationRefusedException);
  });

  it('refuses a use case called without a caller, as with a bare region scope', async () => {
    expect(() => cases.list(RegionScope.allRegions())).toThrow(/needs an authenticated caller/);
    await expect(cases.read('c1', undefined as unknown as Principal)).rejects.toThrow(
      /needs an authenticated caller/,
    );
  });

  it('is found on the method by its policy', () => {
    expect(useCasePolicyOf(Cases.prototype.read)).toBe(P.readCase);
    expect(Cases.prototype.read.name).toBe('read');
  });
});
