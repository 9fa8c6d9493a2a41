import { OperationRefusedException } from '@safecity/security';
import { InvalidError, NotFoundError } from '@safecity/service-kit';
import {
  aDirectoryCamera,
  auditOf,
  startUseCaseHarness,
  type UseCaseHarness,
} from '../../../../test/use-case-harness';
import { CreateBehaviourRuleUseCase } from './create-behaviour-rule.use-case';

describe('CreateBehaviourRuleUseCase', () => {
  let h: UseCaseHarness;
  beforeAll(async () => (h = await startUseCaseHarness('uccrerl')));
  afterAll(() => h.close());

  const create = (cameraId: string, fields: Record<string, unknown> = {}, actor = h.person('region-admin')) =>
    h.get(CreateBehaviourRuleUseCase).execute({
      actor,
      cameraId,
      rule: { behaviour: 'fight', minConfidence: 0.7, severity: 'high', ...fields } as never,
    });

  it('attaches the rule to a camera of the caller’s region, in Almaty time by default, audited', async () => {
    const camera = await aDirectoryCamera(h);
    const actor = h.person('supervisor');
    const rule = await create(camera.id, { schedule: [{ days: [1, 2], from: '22:00', to: '06:00' }] }, actor);
    expect(rule).toMatchObject({
      cameraId: camera.id,
      regionCode: 'ALA',
      timeZone: 'Asia/Almaty',
      enabled: true,
    });
    expect(await auditOf(h, rule.id)).toEqual([
      expect.objectContaining({
        action: 'create',
        actor_subject: actor.subject,
        purpose: 'alert rule administration',
      }),
    ]);
  });

  it('refuses an unknown time zone, an empty window, another region’s camera and operators', async () => {
    const camera = await aDirectoryCamera(h);
    await expect(create(camera.id, { timeZone: 'Mars/Olympus' })).rejects.toMatchObject({
      problems: [{ field: 'timeZone' }],
    });
    const empty = create(camera.id, { schedule: [{ days: [1], from: '08:00', to: '08:00' }] });
    await expect(empty).rejects.toBeInstanceOf(InvalidError);
    await expect(empty).rejects.toMatchObject({ problems: [{ field: 'schedule.0.to' }] });
    await expect(create(camera.id, {}, h.person('region-admin', ['AST']))).rejects.toBeInstanceOf(
      NotFoundError,
    );
    await expect(create(camera.id, {}, h.person('operator'))).rejects.toBeInstanceOf(
      OperationRefusedException,
    );
  });
});
