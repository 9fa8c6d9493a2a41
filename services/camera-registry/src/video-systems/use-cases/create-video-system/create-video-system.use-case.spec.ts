import { OperationRefusedException } from '@safecity/security';
import { InvalidError } from '@safecity/service-kit';
import {
  anAlmatyVideoSystem,
  startUseCaseHarness,
  type UseCaseHarness,
} from '../../../../test/use-case-harness';
import { CreateVideoSystemUseCase } from './create-video-system.use-case';

describe('CreateVideoSystemUseCase', () => {
  let h: UseCaseHarness;

  beforeAll(async () => (h = await startUseCaseHarness('uccreatevs')));
  afterAll(() => h.close());

  it('registers the system in the caller’s region, active, and audits it', async () => {
    const system = await anAlmatyVideoSystem(h, h.person('region-admin'));
    expect(system).toMatchObject({
      regionCode: 'ALA',
      vendor: 'milestone',
      status: 'active',
      endpoint: null,
    });
    expect(
      await h.query(`SELECT action, object_type FROM audit_log WHERE object_id = $1`, [system.id]),
    ).toEqual([{ action: 'create', object_type: 'video-system' }]);
  });

  it('refuses an unknown region and a region outside the caller’s, naming regionCode', async () => {
    const create = (regionCode: string) =>
      h.get(CreateVideoSystemUseCase).execute({
        actor: h.person('region-admin'),
        regionCode,
        name: 'x',
        vendor: 'hikvision',
        ingestionMethod: 'hikvision-isapi',
      });
    await expect(create('XYZ')).rejects.toEqual(
      new InvalidError({ field: 'regionCode', reason: 'unknown region XYZ' }),
    );
    await expect(create('AST')).rejects.toMatchObject({
      problems: [{ field: 'regionCode', reason: 'region AST is outside your regions' }],
    });
  });

  it('is refused to roles its policy does not name', async () => {
    await expect(anAlmatyVideoSystem(h, h.person('supervisor'))).rejects.toBeInstanceOf(
      OperationRefusedException,
    );
  });
});
