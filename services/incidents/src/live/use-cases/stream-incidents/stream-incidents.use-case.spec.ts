import { OperationRefusedException } from '@safecity/security';
import { eventually } from '@safecity/testing';
import {
  aFaceMatchIncident,
  anOpenTheft,
  startUseCaseHarness,
  type UseCaseHarness,
} from '../../../../test/use-case-harness';
import type { StreamClient } from './stream-incidents.command';
import { StreamIncidentsUseCase } from './stream-incidents.use-case';

describe('StreamIncidentsUseCase', () => {
  let h: UseCaseHarness;
  beforeAll(async () => {
    h = await startUseCaseHarness('ucstream', { liveFeedPollIntervalMs: 50 });
  });
  afterAll(() => h.close());

  function client(): StreamClient & { frames: string[] } {
    const frames: string[] = [];
    return {
      frames,
      regions: null,
      send: (text) => (frames.push(text.toString()), true),
      close: () => undefined,
    };
  }

  it('carries the changes of the caller’s regions and kinds, and audits the face matches it carried', async () => {
    const operator = client();
    const analyst = client();
    const stop = [
      await h.get(StreamIncidentsUseCase).execute({
        actor: h.person('operator', ['ALA'], 'op-watches'),
        purpose: 'dispatch',
        client: operator,
        lastEventId: null,
      }),
      await h.get(StreamIncidentsUseCase).execute({
        actor: h.person('analyst'),
        purpose: 'analysis',
        client: analyst,
        lastEventId: null,
      }),
    ];
    const face = await aFaceMatchIncident(h);
    const theft = await anOpenTheft(h, h.person('operator'));
    const far = await anOpenTheft(h, h.person('operator', ['AST']), 'far', 'AST');
    await eventually(
      () =>
        operator.frames.some((f) => f.includes(theft.id)) && analyst.frames.some((f) => f.includes(theft.id)),
    );
    expect(operator.frames.some((f) => f.includes(face))).toBe(true);
    expect(analyst.frames.some((f) => f.includes(face))).toBe(false);
    expect([...operator.frames, ...analyst.frames].some((f) => f.includes(far.id))).toBe(false);
    for (const end of stop) end();
    const audit = await eventually(async () => {
      const rows = await h.query(
        `SELECT object_id AS "id", purpose FROM audit_log WHERE actor_subject = 'op-watches'`,
      );
      return rows.length > 0 ? rows : undefined;
    });
    expect(audit).toEqual([{ id: face, purpose: 'dispatch' }]);
  });

  it('is refused to roles that watch no incidents', async () => {
    await expect(
      h.get(StreamIncidentsUseCase).execute({
        actor: h.person('service'),
        purpose: 'x',
        client: client(),
        lastEventId: null,
      }),
    ).rejects.toBeInstanceOf(OperationRefusedException);
  });
});
