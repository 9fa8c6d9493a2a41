import { randomUUID } from 'node:crypto';
import { EventTypes, incidents as contract, recognition } from '@safecity/contracts';
import { OperationRefusedException } from '@safecity/security';
import { InvalidError } from '@safecity/service-kit';
import { eventually } from '@safecity/testing';
import { plateMatched } from '../../../../test/fixtures';
import {
  BUS_PRODUCER,
  consumed,
  startUseCaseHarness,
  type UseCaseHarness,
} from '../../../../test/use-case-harness';
import { CorrelateSourceEventsUseCase } from './correlate-source-events.use-case';

describe('CorrelateSourceEventsUseCase', () => {
  let h: UseCaseHarness;
  const correlate = (events: ReturnType<typeof consumed>[], actor = BUS_PRODUCER) =>
    h.get(CorrelateSourceEventsUseCase).execute({ actor, events });
  const incidentOf = async (matchId: string) =>
    (
      await h.query<{ id: string; state: number }>(
        `SELECT i.id, i.state FROM incidents i JOIN incident_sources s ON s.incident_id = i.id WHERE s.ref_id = $1`,
        [matchId],
      )
    )[0];

  beforeAll(async () => {
    h = await startUseCaseHarness('uccorrelate');
  });
  afterAll(() => h.close());

  it('opens one incident per plate hit, once however often the event comes, and announces it', async () => {
    const match = plateMatched({ plate: '777AAA02' });
    const event = consumed(EventTypes.PlateMatched, match);
    await correlate([event]);
    await correlate([event]);
    const incident = await incidentOf(match.match!.id);
    expect(incident.state).toBe(contract.IncidentState.INCIDENT_STATE_NEW);
    expect(
      await h.query(`SELECT count(*)::int AS n FROM incident_sources WHERE ref_id = $1`, [match.match!.id]),
    ).toEqual([{ n: 1 }]);
    const [created] = await eventually(() => {
      const all = h.changesOf(incident.id);
      return all.length > 0 ? all : undefined;
    });
    expect(created.kind).toBe(contract.IncidentChangeKind.INCIDENT_CHANGE_KIND_CREATED);
  });

  it('shows recognition’s verdict on the match on the incident’s source', async () => {
    const match = plateMatched({});
    await correlate([consumed(EventTypes.PlateMatched, match)]);
    await correlate([
      consumed(
        EventTypes.MatchStatusChanged,
        recognition.MatchStatusChanged.fromPartial({
          matchId: match.match!.id,
          kind: recognition.MatchKind.MATCH_KIND_PLATE,
          status: recognition.MatchStatus.MATCH_STATUS_REJECTED,
        }),
      ),
    ]);
    const [source] = await h.query<{ details: { matchStatus: string } }>(
      `SELECT details FROM incident_sources WHERE ref_id = $1`,
      [match.match!.id],
    );
    expect(source.details.matchStatus).toBe('rejected');
  });

  it('refuses a verdict without its match as invalid, writing nothing of its batch', async () => {
    const match = plateMatched({});
    const refused = correlate([
      consumed(EventTypes.PlateMatched, match),
      consumed(EventTypes.MatchStatusChanged, recognition.MatchStatusChanged.fromPartial({ matchId: '' })),
    ]);
    await expect(refused).rejects.toBeInstanceOf(InvalidError);
    expect(await incidentOf(match.match!.id)).toBeUndefined();
  });

  it('is refused to people: only the platform’s producers publish matches', async () => {
    await expect(
      correlate([consumed(EventTypes.PlateMatched, plateMatched({}), randomUUID())], h.person('operator')),
    ).rejects.toBeInstanceOf(OperationRefusedException);
  });
});
