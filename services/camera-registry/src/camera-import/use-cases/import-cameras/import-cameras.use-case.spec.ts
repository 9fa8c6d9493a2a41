import { randomUUID } from 'node:crypto';
import { OperationRefusedException } from '@safecity/security';
import { InvalidError, NotFoundError } from '@safecity/service-kit';
import {
  anAlmatyVideoSystem,
  startUseCaseHarness,
  type UseCaseHarness,
} from '../../../../test/use-case-harness';
import { ListCamerasUseCase } from '../../../cameras/use-cases';
import { ImportCamerasUseCase } from './import-cameras.use-case';

const csv = (text: string) => ({ format: 'csv' as const, bytes: Buffer.from(text) });
const INVENTORY =
  'external_id,name,lat,lon,capabilities\nch-1,Abay / Dostyk,43.2383,76.9454,plates;ptz\nch-2,Al-Farabi,43.22,76.93,plates\n';

describe('ImportCamerasUseCase', () => {
  let h: UseCaseHarness;
  let systemId: string;
  const importFile = (file = csv(INVENTORY), actor = h.person('region-admin'), videoSystemId = systemId) =>
    h.get(ImportCamerasUseCase).execute({ actor, videoSystemId, file });

  beforeAll(async () => {
    h = await startUseCaseHarness('ucimport');
    systemId = (await anAlmatyVideoSystem(h, h.person('region-admin'))).id;
  });
  afterAll(() => h.close());

  it('upserts every camera by external id; the same file again changes nothing', async () => {
    expect(await importFile()).toEqual({ created: 2, updated: 0, unchanged: 0, total: 2 });
    expect(await importFile()).toEqual({ created: 0, updated: 0, unchanged: 2, total: 2 });
    const page = await h.get(ListCamerasUseCase).execute({ actor: h.person('operator'), query: {} });
    expect(page.items.map((c) => c.externalId).sort()).toEqual(['ch-1', 'ch-2']);
  });

  it('imports nothing when a row is wrong, naming each line and field', async () => {
    const rejected = importFile(
      csv('external_id,name,lat,lon\nch-3,Ok,43.2,76.9\nch-4,Astana,51.13,71.43\n'),
    );
    await expect(rejected).rejects.toBeInstanceOf(InvalidError);
    await expect(rejected).rejects.toMatchObject({
      message: '1 problem in the import; nothing was imported',
      problems: [{ line: 3, field: expect.any(String) }],
    });
    const page = await h
      .get(ListCamerasUseCase)
      .execute({ actor: h.person('operator'), query: { q: 'ch-3' } });
    expect(page.items).toEqual([]);
  });

  it('answers a system of another region as not found, and refuses operators', async () => {
    await expect(importFile(csv(INVENTORY), h.person('region-admin', ['AST']))).rejects.toBeInstanceOf(
      NotFoundError,
    );
    await expect(importFile(csv(INVENTORY), h.person('region-admin'), randomUUID())).rejects.toBeInstanceOf(
      NotFoundError,
    );
    await expect(importFile(csv(INVENTORY), h.person('operator'))).rejects.toBeInstanceOf(
      OperationRefusedException,
    );
  });
});
