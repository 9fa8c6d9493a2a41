import { OperationRefusedException } from '@safecity/security';
import { ConflictError, InvalidError, NotFoundError } from '@safecity/service-kit';
import { eventually } from '@safecity/testing';
import { anOpenTheft, startUseCaseHarness, type UseCaseHarness } from '../../../../test/use-case-harness';
import type { ReassignmentDto } from '../../reassignment.dto';
import { ReassignIncidentUseCase } from './reassign-incident.use-case';

describe('ReassignIncidentUseCase', () => {
  let h: UseCaseHarness;
  const supervisor = () => h.person('supervisor', ['ALA'], 'sup-hands-over');
  const reassign = (id: string, handover: ReassignmentDto, actor = supervisor()) =>
    h.get(ReassignIncidentUseCase).execute({ actor, id, handover });

  beforeAll(async () => {
    h = await startUseCaseHarness('ucreassign');
  });
  afterAll(() => h.close());

  it('hands the incident to another operator, announces it and audits both assignments and the reason', async () => {
    const incident = await anOpenTheft(h, h.person('operator'));
    const after = await reassign(incident.id, { assigneeId: 'op-9', reason: 'shift change' });
    expect(after.assignment.assigneeId).toBe('op-9');
    expect(after.version).toBe(incident.version + 1);
    const changes = await eventually(() => {
      const all = h.changesOf(incident.id);
      return all.length === 2 ? all : undefined;
    });
    expect(changes[1].reason).toBe('reassigned: shift change');
    const [audit] = await h.query<{ details: Record<string, unknown> }>(
      `SELECT details FROM audit_log WHERE object_id = $1 AND actor_subject = 'sup-hands-over'`,
      [incident.id],
    );
    expect(audit.details).toMatchObject({
      reassigned: { from: { assigneeId: null }, to: { assigneeId: 'op-9' } },
      reason: 'shift change',
    });
  });

  it('refuses a stale version, a handover without anyone named, and another region’s incident', async () => {
    const incident = await anOpenTheft(h, h.person('operator'));
    const stale = reassign(incident.id, {
      assigneeId: 'op-2',
      reason: 'x',
      expectedVersion: incident.version + 3,
    });
    await expect(stale).rejects.toBeInstanceOf(ConflictError);
    await expect(reassign(incident.id, { reason: 'nobody' })).rejects.toBeInstanceOf(InvalidError);
    await expect(
      reassign(incident.id, { assigneeId: 'op-2', reason: 'x' }, h.person('supervisor', ['AST'])),
    ).rejects.toBeInstanceOf(NotFoundError);
  });

  it('is refused to operators', async () => {
    const incident = await anOpenTheft(h, h.person('operator'));
    await expect(
      reassign(incident.id, { assigneeId: 'op-2', reason: 'x' }, h.person('operator')),
    ).rejects.toBeInstanceOf(OperationRefusedException);
  });
});
