import { incidents as contract } from '@safecity/contracts';
import { OperationRefusedException } from '@safecity/security';
import { ConflictError, InvalidError, UnavailableError } from '@safecity/service-kit';
import { eventually } from '@safecity/testing';
import {
  aFaceMatchIncident,
  anOpenTheft,
  startUseCaseHarness,
  type UseCaseHarness,
} from '../../../../test/use-case-harness';
import { CreateUnitUseCase } from '../../../units/use-cases';
import { IllegalTransitionError } from '../../incident-errors';
import type { TransitionDto } from '../../incident.dto';
import { TransitionIncidentUseCase } from './transition-incident.use-case';

describe('TransitionIncidentUseCase', () => {
  let h: UseCaseHarness;
  const operator = () => h.person('operator', ['ALA'], 'op-moves');
  const move = (id: string, step: TransitionDto, actor = operator()) =>
    h.get(TransitionIncidentUseCase).execute({ actor, id, step });

  beforeAll(async () => {
    h = await startUseCaseHarness('ucmoveinc');
  });
  afterAll(() => h.close());

  it('takes an incident from new to resolved with a unit, keeping history, feed, audit and the unit in step', async () => {
    const incident = await anOpenTheft(h, operator());
    const unit = await h.get(CreateUnitUseCase).execute({
      actor: h.person('supervisor'),
      unit: { callSign: 'ALA-07', kind: 'patrol', regionCode: 'ALA' },
    });
    expect((await move(incident.id, { to: 'verified' })).incident.state).toBe('verified');
    await move(incident.id, { to: 'dispatched', unitId: unit.id });
    expect(await h.query(`SELECT status FROM units WHERE id = $1`, [unit.id])).toEqual([
      { status: 'dispatched' },
    ]);
    await move(incident.id, { to: 'on-scene' });
    expect(await h.query(`SELECT status FROM units WHERE id = $1`, [unit.id])).toEqual([
      { status: 'on-scene' },
    ]);
    const resolved = await move(incident.id, {
      to: 'resolved',
      resolution: 'handled-on-scene',
      reason: 'bike returned',
    });
    expect(resolved.incident).toMatchObject({
      state: 'resolved',
      resolution: 'handled-on-scene',
      version: 5,
    });
    expect(await h.query(`SELECT status FROM units WHERE id = $1`, [unit.id])).toEqual([
      { status: 'available' },
    ]);
    const history = await h.query(
      `SELECT actor_subject AS "actor" FROM incident_history WHERE incident_id = $1`,
      [incident.id],
    );
    expect(history).toHaveLength(4);
    const audit = await h.query<{ details: { to: string } }>(
      `SELECT details FROM audit_log WHERE object_id = $1 AND action = 'update' ORDER BY seq`,
      [incident.id],
    );
    expect(audit.map((a) => a.details.to)).toEqual(['verified', 'dispatched', 'on-scene', 'resolved']);
    const changes = await eventually(() => {
      const all = h.changesOf(incident.id);
      return all.length === 5 ? all : undefined;
    });
    expect(changes.at(-1)!.kind).toBe(contract.IncidentChangeKind.INCIDENT_CHANGE_KIND_STATE_CHANGED);
  });

  it('refuses a step the lifecycle does not allow, naming the ones it does', async () => {
    const incident = await anOpenTheft(h, operator());
    const illegal = move(incident.id, { to: 'on-scene' });
    await expect(illegal).rejects.toBeInstanceOf(IllegalTransitionError);
    await expect(illegal).rejects.toMatchObject({ allowed: ['verified', 'dismissed'], state: 'new' });
  });

  it('refuses a stale version as a conflict on expectedVersion, and a dispatch without a unit as invalid', async () => {
    const incident = await anOpenTheft(h, operator());
    const stale = move(incident.id, { to: 'verified', expectedVersion: incident.version + 1 });
    await expect(stale).rejects.toBeInstanceOf(ConflictError);
    await expect(stale).rejects.toMatchObject({ problems: [{ field: 'expectedVersion' }] });
    await move(incident.id, { to: 'verified' });
    await expect(move(incident.id, { to: 'dispatched' })).rejects.toEqual(
      new InvalidError({ field: 'unitId', reason: 'dispatching needs the unit sent' }),
    );
  });

  it('leaves a face match’s confirmation to recognition: unavailable without it, and nothing recorded', async () => {
    const face = await aFaceMatchIncident(h);
    await expect(move(face, { to: 'verified' })).rejects.toBeInstanceOf(UnavailableError);
    expect(await h.query(`SELECT * FROM incident_confirmations WHERE incident_id = $1`, [face])).toEqual([]);
  });

  it('is refused to roles not on shift', async () => {
    const incident = await anOpenTheft(h, operator());
    await expect(move(incident.id, { to: 'verified' }, h.person('analyst'))).rejects.toBeInstanceOf(
      OperationRefusedException,
    );
  });
});
