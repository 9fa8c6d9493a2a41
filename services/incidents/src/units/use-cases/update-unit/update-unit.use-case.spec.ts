import { OperationRefusedException } from '@safecity/security';
import { ConflictError, NotFoundError } from '@safecity/service-kit';
import { anOpenTheft, startUseCaseHarness, type UseCaseHarness } from '../../../../test/use-case-harness';
import { TransitionIncidentUseCase } from '../../../incidents/use-cases';
import { CreateUnitUseCase } from '../create-unit/create-unit.use-case';
import { UpdateUnitUseCase } from './update-unit.use-case';

describe('UpdateUnitUseCase', () => {
  let h: UseCaseHarness;
  const newUnit = (callSign: string) =>
    h.get(CreateUnitUseCase).execute({
      actor: h.person('supervisor'),
      unit: { callSign, kind: 'ambulance', regionCode: 'ALA' },
    });
  const update = (
    id: string,
    report: { status?: 'available' | 'off-duty'; position?: { lat: number; lon: number } },
    actor = h.person('service'),
  ) => h.get(UpdateUnitUseCase).execute({ actor, id, report });

  beforeAll(async () => {
    h = await startUseCaseHarness('ucupdateunit');
  });
  afterAll(() => h.close());

  it('takes the position a tracker reports and the status a crew reports', async () => {
    const unit = await newUnit('AMB-1');
    expect(await update(unit.id, { position: { lat: 43.2, lon: 76.9 } })).toMatchObject({
      lat: 43.2,
      lon: 76.9,
    });
    expect(await update(unit.id, { status: 'off-duty' }, h.person('operator'))).toMatchObject({
      status: 'off-duty',
    });
  });

  it('refuses a change of status while the unit works on an incident', async () => {
    const unit = await newUnit('AMB-2');
    const incident = await anOpenTheft(h, h.person('operator'));
    const move = h.get(TransitionIncidentUseCase);
    await move.execute({ actor: h.person('operator'), id: incident.id, step: { to: 'verified' } });
    await move.execute({
      actor: h.person('operator'),
      id: incident.id,
      step: { to: 'dispatched', unitId: unit.id },
    });
    await expect(update(unit.id, { status: 'available' })).rejects.toBeInstanceOf(ConflictError);
  });

  it('answers another region’s unit as missing, and is refused to analysts', async () => {
    const unit = await newUnit('AMB-3');
    await expect(
      update(unit.id, { status: 'off-duty' }, h.person('operator', ['AST'])),
    ).rejects.toBeInstanceOf(NotFoundError);
    await expect(update(unit.id, { status: 'off-duty' }, h.person('analyst'))).rejects.toBeInstanceOf(
      OperationRefusedException,
    );
  });
});
