import { randomUUID } from 'node:crypto';
import { OperationRefusedException } from '@safecity/security';
import {
  aFaceMatchIncident,
  anOpenTheft,
  startUseCaseHarness,
  type UseCaseHarness,
} from '../../../../test/use-case-harness';
import { BatchGetIncidentsUseCase } from './batch-get-incidents.use-case';

describe('BatchGetIncidentsUseCase', () => {
  let h: UseCaseHarness;
  beforeAll(async () => {
    h = await startUseCaseHarness('ucbatchinc');
  });
  afterAll(() => h.close());

  it('answers in the order asked, leaving out the missing, other regions’ and what the roles may not see', async () => {
    const operator = h.person('operator');
    const a = (await anOpenTheft(h, operator, 'first')).id;
    const b = (await anOpenTheft(h, operator, 'second')).id;
    const face = await aFaceMatchIncident(h);
    const astana = (await anOpenTheft(h, h.person('operator', ['AST']), 'far', 'AST')).id;
    const ids = [b, randomUUID(), a, astana, face];
    const batch = (actor = operator) =>
      h.get(BatchGetIncidentsUseCase).execute({ actor, ids, purpose: 'incident handling' });
    const found = await batch();
    expect(found.incidents.map((i) => i.id)).toEqual([b, a, face]);
    expect(found.sources.get(a)).toHaveLength(1);
    expect((await batch(h.person('analyst'))).incidents.map((i) => i.id)).toEqual([b, a]);
  });

  it('audits each face-match incident it discloses', async () => {
    const face = await aFaceMatchIncident(h);
    const reader = h.person('service', 'all', 'svc-batch');
    await h.get(BatchGetIncidentsUseCase).execute({ actor: reader, ids: [face], purpose: 'prevention' });
    const audit = await h.query(
      `SELECT action, purpose FROM audit_log WHERE object_id = $1 AND actor_subject = $2`,
      [face, 'svc-batch'],
    );
    expect(audit).toEqual([{ action: 'read', purpose: 'prevention' }]);
  });

  it('is refused to roles that read no incidents', async () => {
    await expect(
      h.get(BatchGetIncidentsUseCase).execute({ actor: h.person('auditor'), ids: [], purpose: 'x' }),
    ).rejects.toBeInstanceOf(OperationRefusedException);
  });
});
