import { OperationRefusedException } from '@safecity/security';
import { InvalidError } from '@safecity/service-kit';
import {
  anAlmatyCamera,
  anAlmatyVideoSystem,
  startUseCaseHarness,
  type UseCaseHarness,
} from '../../../../test/use-case-harness';
import { ListCamerasUseCase } from './list-cameras.use-case';

describe('ListCamerasUseCase', () => {
  let h: UseCaseHarness;

  beforeAll(async () => {
    h = await startUseCaseHarness('uclistcam');
    const admin = h.person('region-admin');
    const systemId = (await anAlmatyVideoSystem(h, admin)).id;
    for (const id of ['l-1', 'l-2', 'l-3']) await anAlmatyCamera(h, admin, systemId, id);
  });
  afterAll(() => h.close());

  it('pages through the cameras of the caller’s regions', async () => {
    const list = (cursor?: string) =>
      h.get(ListCamerasUseCase).execute({ actor: h.person('operator'), query: { limit: 2, cursor } });
    const first = await list();
    expect(first.items).toHaveLength(2);
    const second = await list(first.nextCursor!);
    expect(second.items).toHaveLength(1);
    expect(second.nextCursor).toBeNull();
    const astana = await h
      .get(ListCamerasUseCase)
      .execute({ actor: h.person('operator', ['AST']), query: {} });
    expect(astana.items).toEqual([]);
  });

  it('refuses an empty box and a radius without a centre as malformed, naming the field', async () => {
    const list = (query: object) => h.get(ListCamerasUseCase).execute({ actor: h.person('operator'), query });
    await expect(list({ bbox: [77, 43, 76, 44] })).rejects.toEqual(
      new InvalidError(
        { field: 'bbox', reason: 'must be minLon,minLat,maxLon,maxLat with min < max' },
        { malformed: true },
      ),
    );
    await expect(list({ radiusM: 100 })).rejects.toMatchObject({
      malformed: true,
      problems: [{ field: 'near' }],
    });
  });

  it('is refused to roles its policy does not name', async () => {
    await expect(
      h.get(ListCamerasUseCase).execute({ actor: h.person('service', 'all'), query: {} }),
    ).rejects.toBeInstanceOf(OperationRefusedException);
  });
});
