import { randomUUID } from 'node:crypto';
import { EventTypes, incidents, recognition, Topics, type Camera } from '@safecity/contracts';
import { type ConsumedEvent } from '@safecity/messaging';
import { freeLoopbackPort } from '@safecity/persistence';
import { RegionAccess, RegionScope, type Principal } from '@safecity/security';
import { startUseCaseHarness as startServiceUseCases, type UseCaseHarness } from '@safecity/testing';
import { CreateBehaviourRuleUseCase } from '../src/behaviour/use-cases';
import { migrateRecognition } from '../src/bootstrap';
import { CameraDirectoryRepository } from '../src/camera-directory/camera-directory.repository';
import type { DetectionCandidate } from '../src/ingestion/candidate';
import { parseCanonicalValue } from '../src/ingestion/canonical/canonical-json.parser';
import type { IngestionOverrides } from '../src/ingestion/ingestion-settings';
import type { MatchingOptions } from '../src/matching.module';
import { MatchRaiser } from '../src/matches/match-raiser';
import { RECOGNITION_SCHEMA, RecognitionModule } from '../src/recognition.module';
import { EnrolFaceSubjectUseCase } from '../src/faces/use-cases';
import { AddPlateEntryUseCase } from '../src/plates/use-cases';
import { CreateWatchlistUseCase } from '../src/watchlists/use-cases';
import type { Watchlist } from '../src/watchlists/watchlist';
import { testCamera } from './support';

export type { UseCaseHarness };

/** recognition's use cases on a database of their own; `published`: matches, alerts, detections. */
export function startUseCaseHarness(
  prefix: string,
  options: { matching?: MatchingOptions; ingestion?: IngestionOverrides } = {},
): Promise<UseCaseHarness> {
  return startServiceUseCases({
    prefix,
    schema: RECOGNITION_SCHEMA,
    migrate: migrateRecognition,
    observe: [Topics.Matches, Topics.Alerts, Topics.Detections],
    module: async ({ databaseUrl, bus, identity }) =>
      RecognitionModule.forRoot({
        databaseUrl,
        transport: { kind: 'in-process', bus },
        // Nobody listens there: camera lookups that miss the directory find camera-registry down.
        cameraRegistryGrpcUrl: `127.0.0.1:${await freeLoopbackPort()}`,
        identity,
        ingestion: options.ingestion,
        matching: { watchlistPollMs: 200, scheduleRetention: false, ...options.matching },
      }),
  });
}

export const inAWeek = () => new Date(Date.now() + 7 * 24 * 3600 * 1000);

/** An Almaty watchlist of the kind, created by `keeper`. */
export function anAlmatyWatchlist(
  h: UseCaseHarness,
  keeper: Principal,
  kind: 'plate' | 'face',
  name = `${kind} list`,
): Promise<Watchlist> {
  return h.get(CreateWatchlistUseCase).execute({
    actor: keeper,
    watchlist: {
      kind,
      name,
      regionCode: 'ALA',
      threshold: kind === 'face' ? 0.6 : undefined,
      legalBasis: 'Order 12-345/2026 of the Almaty police department',
      owner: 'Almaty police',
    },
  });
}

/** The audit records of one object, oldest first. */
export function auditOf(h: UseCaseHarness, objectId: string) {
  return h.query<{
    action: string;
    actor_subject: string;
    purpose: string;
    details: Record<string, unknown>;
  }>(`SELECT action, actor_subject, purpose, details FROM audit_log WHERE object_id = $1 ORDER BY seq`, [
    objectId,
  ]);
}

/** A plate on `watchlistId`, listed for a week. */
export function aPlateEntry(h: UseCaseHarness, keeper: Principal, watchlistId: string, plate = '123ABC02') {
  return h.get(AddPlateEntryUseCase).execute({
    actor: keeper,
    watchlistId,
    entry: {
      plate,
      reason: 'stolen-vehicle',
      priority: 3,
      legalBasis: 'Criminal case 2026-0012345',
      owner: 'Almaty police',
      expiresAt: inAWeek(),
    },
  });
}

/** A unit vector of `dims` components, different for each `seed`. */
export function aTemplate(seed: number, dims = 16, model = 'test-faces@1') {
  const vector = Array.from({ length: dims }, (_, i) => Math.sin(seed * 7 + i + 1));
  return { model, vector };
}

/** A subject on `watchlistId` with one template, enrolled for a week. */
export function aFaceSubject(h: UseCaseHarness, keeper: Principal, watchlistId: string, seed = 1) {
  return h.get(EnrolFaceSubjectUseCase).execute({
    actor: keeper,
    watchlistId,
    subject: {
      subjectRef: `case-${seed}`,
      legalBasis: 'Court order 7/2026',
      owner: 'Almaty police',
      expiresAt: inAWeek(),
      templates: [aTemplate(seed)],
    },
  });
}

/** A match as the matchers raise it, in a transaction of its own, pending verification. */
export async function aRaisedMatch(
  h: UseCaseHarness,
  kind: 'plate' | 'face',
  regionCode = 'ALA',
): Promise<string> {
  const id = randomUUID();
  const base = {
    id,
    detectionId: randomUUID(),
    cameraId: randomUUID(),
    videoSystemId: randomUUID(),
    regionCode,
    observedAt: new Date(),
    matchedAt: new Date(),
  };
  const watchlistId = randomUUID();
  const candidate = { entryId: randomUUID(), legalBasisRef: 'Case 7/2026' };
  const message =
    kind === 'plate'
      ? ({
          kind,
          match: recognition.PlateMatch.fromPartial({
            ...base,
            candidates: [{ ...candidate, hotlistId: watchlistId, listedText: '123ABC02', score: 1 }],
          }),
        } as const)
      : ({
          kind,
          match: recognition.FaceMatch.fromPartial({
            ...base,
            candidates: [{ ...candidate, watchlistId, rank: 1, score: 0.9 }],
          }),
        } as const);
  await h.get(RegionAccess).run(RegionScope.allRegions(), (manager) =>
    h.get(MatchRaiser).raise(manager, {
      message,
      watchlistIds: [watchlistId],
      entryIds: [candidate.entryId],
    }),
  );
  return id;
}

/** A camera of Almaty in recognition's directory, as if camera-registry had announced it. */
export async function aDirectoryCamera(h: UseCaseHarness, overrides: Partial<Camera> = {}): Promise<Camera> {
  const camera = testCamera({ privacyMasks: [], ...overrides });
  await h.get(CameraDirectoryRepository).upsert(camera);
  return camera;
}

let events = 0;

/** Candidates as the canonical parser reads them: plate reads on the camera. */
export function plateReads(camera: Camera, plates: string[]): DetectionCandidate[] {
  return parseCanonicalValue({
    detections: plates.map((text) => ({
      vendorEventId: `evt-${++events}`,
      cameraExternalId: camera.externalId,
      observedAt: new Date(Date.now() - 2_000).toISOString(),
      kind: 'plate',
      frameBox: { x: 0.5, y: 0.6, width: 0.1, height: 0.05 },
      plate: { text, country: 'KZ', confidence: 0.93 },
    })),
  }).candidates;
}

/** The video system speaking with its ingest key. */
export function videoSystemCaller(videoSystemId: string, regionCode = 'ALA'): Principal {
  return { kind: 'video-system', subject: videoSystemId, roles: [], regions: [regionCode] };
}

/** A fight rule on the camera, kept by `keeper`. */
export function aBehaviourRule(h: UseCaseHarness, keeper: Principal, cameraId: string) {
  return h.get(CreateBehaviourRuleUseCase).execute({
    actor: keeper,
    cameraId,
    rule: { behaviour: 'fight', minConfidence: 0.7, severity: 'high' },
  });
}

/** An incident opened by the source and dismissed by an operator as a false alarm, as incidents announces it. */
export function aFalseAlarm(
  source: { kind: 'plate' | 'face'; matchId: string },
  changedAt = new Date(),
): ConsumedEvent<incidents.IncidentChanged> {
  const data = incidents.IncidentChanged.fromPartial({
    kind: incidents.IncidentChangeKind.INCIDENT_CHANGE_KIND_STATE_CHANGED,
    changedAt,
    incident: {
      id: randomUUID(),
      state: incidents.IncidentState.INCIDENT_STATE_DISMISSED,
      resolution: incidents.Resolution.RESOLUTION_FALSE_ALARM,
      sources: [
        {
          kind:
            source.kind === 'plate'
              ? incidents.IncidentSourceKind.INCIDENT_SOURCE_KIND_PLATE_MATCH
              : incidents.IncidentSourceKind.INCIDENT_SOURCE_KIND_FACE_MATCH,
          refId: source.matchId,
        },
      ],
    },
  });
  return {
    id: randomUUID(),
    type: EventTypes.IncidentStateChanged,
    source: '/safecity/incidents',
    time: changedAt,
    key: data.incident!.id,
    topic: Topics.Incidents,
    partition: 0,
    offset: '0',
    previousAttempts: 0,
    headers: {},
    data,
    raw: Buffer.from(incidents.IncidentChanged.encode(data).finish()),
  };
}
