import { common, recognition } from '@safecity/contracts';
import { fixture, hikvisionMultipart, jpeg } from '../../test/fixtures';
import { IngestPayloadError } from './ingest-problems';
import { PARSERS } from './parsers';

const { DetectionKind, BehaviourType } = recognition;

function problemOf(run: () => unknown): IngestPayloadError {
  try {
    run();
  } catch (error) {
    if (error instanceof IngestPayloadError) return error;
    throw error;
  }
  throw new Error('expected the payload to be refused');
}

describe('canonical adapter', () => {
  it('reads the sample plate detection', () => {
    const { candidates } = PARSERS.canonical(fixture('canonical-plate.json'), 'application/json');
    expect(candidates).toHaveLength(1);
    expect(candidates[0]).toMatchObject({
      vendorEventId: 'anpr-2026-06-01-000173',
      cameraExternalId: 'ALA-ABAY-DOSTYK-02',
      kind: DetectionKind.DETECTION_KIND_PLATE,
      plate: {
        text: '123ABC02',
        country: 'KZ',
        direction: recognition.TravelDirection.TRAVEL_DIRECTION_APPROACHING,
      },
    });
    expect(candidates[0]!.observedAt.toISOString()).toBe('2026-06-01T03:20:11.240Z');
    expect(candidates[0]!.media[0]!.kind).toBe(common.MediaKind.MEDIA_KIND_PLATE_CROP);
  });

  it('reads the sample batch', () => {
    const { candidates } = PARSERS.canonical(
      fixture('canonical-batch.json'),
      'application/json; charset=utf-8',
    );
    expect(candidates.map((c) => c.kind)).toEqual([
      DetectionKind.DETECTION_KIND_BEHAVIOUR,
      DetectionKind.DETECTION_KIND_FACE,
    ]);
    expect(candidates[0]!.behaviour).toMatchObject({
      type: BehaviourType.BEHAVIOUR_TYPE_FIGHT,
      objectCount: 3,
    });
    expect(candidates[1]!.face).toEqual({ template: null, quality: 0.74, confidence: 0.98 });
  });

  it('names every problem with its field', () => {
    const error = problemOf(() =>
      PARSERS.canonical(
        Buffer.from(JSON.stringify({ detections: [{ kind: 'boat', extra: 1 }] })),
        'application/json',
      ),
    );
    expect(error.status).toBe(400);
    expect(error.problems).toEqual(
      expect.arrayContaining([
        { field: 'detections[0].extra', reason: 'is not a known field' },
        { field: 'detections[0].vendorEventId', reason: 'is required' },
        { field: 'detections[0].kind', reason: 'must be one of plate, face, behaviour' },
      ]),
    );
  });

  it('names every problem of a protobuf batch with its field and position', () => {
    const valid = recognition.DetectionSubmission.fromPartial({
      vendorEventId: 'evt-1',
      cameraExternalId: 'cam-1',
      observedAt: new Date(),
      kind: DetectionKind.DETECTION_KIND_PLATE,
      plate: { text: '123ABC02', country: 'KZ', confidence: 0.9 },
    });
    const bad = recognition.DetectionSubmission.fromPartial({
      vendorEventId: '',
      cameraExternalId: 'cam\u0001',
      observedAt: new Date(),
      kind: DetectionKind.DETECTION_KIND_PLATE,
      frameBox: { x: 0.5, y: 0.5, width: 1.5, height: 0.1 },
      media: [{ kind: 0, uri: 'ftp://x' }],
      behaviour: { type: BehaviourType.BEHAVIOUR_TYPE_FIGHT, confidence: 2 },
    });
    const body = Buffer.from(
      recognition.DetectionSubmissionBatch.encode({ detections: [valid, bad] }).finish(),
    );
    const error = problemOf(() => PARSERS.canonical(body, 'application/x-protobuf'));
    expect(error.problems).toEqual([
      { field: 'detections[1].vendorEventId', reason: 'is required' },
      { field: 'detections[1].cameraExternalId', reason: 'must not contain control characters' },
      { field: 'detections[1].frameBox', reason: 'coordinates must be between 0 and 1' },
      { field: 'detections[1].media[0].kind', reason: 'must be a known media kind' },
      { field: 'detections[1].media[0].uri', reason: 'must be an http(s) or rtsp URI' },
      {
        field: 'detections[1].plate',
        reason: 'a plate detection carries exactly one observation, its plate',
      },
      { field: 'detections[1].behaviour.confidence', reason: 'must be between 0 and 1' },
    ]);
  });

  it('refuses templates of the wrong size and non-finite values', () => {
    const base = JSON.parse(fixture('canonical-batch.json').toString()).detections[1];
    const short = Buffer.from(new Float32Array(10).buffer).toString('base64');
    const nan = Buffer.from(new Float32Array(128).fill(NaN).buffer).toString('base64');
    for (const template of [short, nan, '!!!']) {
      const body = { ...base, face: { ...base.face, template, templateModel: 'm@1' } };
      expect(
        problemOf(() => PARSERS.canonical(Buffer.from(JSON.stringify(body)), 'application/json')).problems[0]!
          .field,
      ).toBe('face.template');
    }
  });
});

describe('ONVIF adapter', () => {
  it('turns a line crossing into a behaviour detection of the video source', () => {
    const { candidates, ignored } = PARSERS.onvif(fixture('onvif-line-crossed.xml'), 'application/soap+xml');
    expect(ignored).toBe(0);
    expect(candidates).toEqual([
      expect.objectContaining({
        cameraExternalId: 'VideoSourceConfig_1',
        kind: DetectionKind.DETECTION_KIND_BEHAVIOUR,
        behaviour: expect.objectContaining({
          type: BehaviourType.BEHAVIOUR_TYPE_LINE_CROSSING,
          ruleName: 'Gate line',
        }),
      }),
    ]);
    expect(candidates[0]!.observedAt.toISOString()).toBe('2026-06-01T09:14:03.120Z');
    // Derived from content: the same notification again is the same event.
    const again = PARSERS.onvif(fixture('onvif-line-crossed.xml'), 'application/soap+xml');
    expect(again.candidates[0]!.vendorEventId).toBe(candidates[0]!.vendorEventId);
  });

  it('reads every analytics topic and ignores the rest', () => {
    const { candidates, ignored } = PARSERS.onvif(fixture('onvif-notify-analytics.xml'), 'application/xml');
    expect(ignored).toBe(2);
    expect(candidates.map((c) => c.behaviour?.type ?? c.kind)).toEqual([
      BehaviourType.BEHAVIOUR_TYPE_INTRUSION,
      BehaviourType.BEHAVIOUR_TYPE_LOITERING,
      BehaviourType.BEHAVIOUR_TYPE_CROWD,
      BehaviourType.BEHAVIOUR_TYPE_ABANDONED_OBJECT,
      BehaviourType.BEHAVIOUR_TYPE_OBJECT_REMOVED,
      DetectionKind.DETECTION_KIND_PLATE,
      DetectionKind.DETECTION_KIND_FACE,
    ]);
    expect(candidates[2]!.behaviour!.objectCount).toBe(57);
    expect(candidates[5]!.plate).toMatchObject({ text: '123ABC02', country: 'KZ', confidence: 0.91 });
    expect(candidates[6]!.face).toEqual({ template: null, quality: 0, confidence: 0.88 });
    expect(new Set(candidates.map((c) => c.vendorEventId)).size).toBe(candidates.length);
  });
});

describe('Hikvision adapter', () => {
  it('reads ANPR with the vendor UUID as event id', () => {
    const { candidates } = PARSERS.hikvision(fixture('hikvision-anpr.xml'), 'application/xml');
    expect(candidates[0]).toMatchObject({
      vendorEventId: '5c0a6b1e-1d2f-4c8a-9e3b-7f6d5a4c3b21',
      cameraExternalId: '1',
      kind: DetectionKind.DETECTION_KIND_PLATE,
      plate: { text: '777KZA02', confidence: 0.96, vehicle: { color: 'white' } },
    });
    expect(candidates[0]!.observedAt.toISOString()).toBe('2026-06-01T09:20:11.000Z');
  });

  it('reads line crossing, intrusion, loitering and face capture; ignores video loss', () => {
    const type = (name: string) => PARSERS.hikvision(fixture(name), 'text/xml').candidates[0]!;
    expect(type('hikvision-linedetection.xml').behaviour!.type).toBe(
      BehaviourType.BEHAVIOUR_TYPE_LINE_CROSSING,
    );
    expect(type('hikvision-fielddetection.xml').behaviour!.type).toBe(BehaviourType.BEHAVIOUR_TYPE_INTRUSION);
    expect(type('hikvision-loitering.xml').behaviour!.type).toBe(BehaviourType.BEHAVIOUR_TYPE_LOITERING);
    expect(type('hikvision-facecapture.xml')).toMatchObject({
      kind: DetectionKind.DETECTION_KIND_FACE,
      face: { quality: 0.83 },
    });
    expect(PARSERS.hikvision(fixture('hikvision-heartbeat.xml'), 'application/xml')).toEqual({
      candidates: [],
      ignored: 1,
    });
  });

  it('takes the pictures of a multipart upload along', () => {
    const upload = hikvisionMultipart(fixture('hikvision-anpr.xml'), [
      { name: 'licensePlatePicture', bytes: jpeg('plate') },
      { name: 'detectionPicture', bytes: jpeg('frame') },
    ]);
    const { candidates } = PARSERS.hikvision(upload.body, upload.contentType);
    expect(
      candidates[0]!.pictures!.map((p) => [p.kind, p.bytes.equals(jpeg(p.kind === 2 ? 'plate' : 'frame'))]),
    ).toEqual([
      [common.MediaKind.MEDIA_KIND_PLATE_CROP, true],
      [common.MediaKind.MEDIA_KIND_SNAPSHOT, true],
    ]);
  });
});

describe('Frigate adapter', () => {
  it('makes every message about one Frigate event the same detection, revised by frame time', () => {
    const [created, updated, ended] = ['frigate-new.json', 'frigate-update.json', 'frigate-end.json'].map(
      (name) => PARSERS.frigate(fixture(name), 'application/json').candidates[0]!,
    );
    expect(created).toMatchObject({
      vendorEventId: '1780305300.512345-k3x9qa',
      cameraExternalId: 'gate_north',
      kind: DetectionKind.DETECTION_KIND_PLATE,
      plate: { text: '123ABC02', confidence: 0.82 },
    });
    expect(updated!.vendorEventId).toBe(created!.vendorEventId);
    expect(updated!.plate!.text).toBe('123ABD02');
    expect(created!.revisedAt! < updated!.revisedAt!).toBe(true);
    expect(updated!.revisedAt! < ended!.revisedAt!).toBe(true);
    expect(created!.observedAt).toEqual(ended!.observedAt);
  });

  it('turns a person entering a zone into intrusion', () => {
    const { candidates } = PARSERS.frigate(fixture('frigate-person-zone.json'), 'application/json');
    expect(candidates[0]!.behaviour).toMatchObject({
      type: BehaviourType.BEHAVIOUR_TYPE_INTRUSION,
      ruleName: 'restricted_yard',
    });
  });
});
