import { CameraLifecycle, recognition } from '@safecity/contracts';
import type { DirectoryCamera } from '../../camera-directory/camera-directory.repository';
import type { DetectionCandidate } from '../candidate';
import { detectionId } from '../detection-id';
import { normalise, type NormaliseContext } from './normalise';

const camera: DirectoryCamera = {
  id: '6f1c1a52-3a0e-4d8c-9a57-0d7b2f3b8e01',
  regionCode: 'ALA',
  districtCode: null,
  videoSystemId: 'vs-1',
  externalId: 'cam-1',
  name: 'Abay / Dostyk',
  lat: 43.2383,
  lon: 76.9454,
  capabilities: [],
  privacyMasks: [
    {
      name: 'window',
      polygon: [
        { x: 0, y: 0 },
        { x: 0.2, y: 0 },
        { x: 0.2, y: 0.2 },
        { x: 0, y: 0.2 },
      ],
    },
  ],
  tags: [],
  lifecycle: CameraLifecycle.CAMERA_LIFECYCLE_ACTIVE,
  status: 1,
  version: 1,
  updatedAt: null,
  changesApplied: 0,
};

const receivedAt = new Date('2026-06-01T10:00:00Z');
const context: NormaliseContext = {
  videoSystemId: 'vs-1',
  regionCode: 'ALA',
  receivedAt,
  maxClockAheadMs: 60_000,
  maxAgeMs: 3_600_000,
};

const plate = (over: Partial<DetectionCandidate> = {}): DetectionCandidate => ({
  vendorEventId: 'evt-1',
  cameraExternalId: 'cam-1',
  observedAt: new Date('2026-06-01T09:59:58Z'),
  kind: recognition.DetectionKind.DETECTION_KIND_PLATE,
  frameBox: { x: 0.5, y: 0.5, width: 0.1, height: 0.05 },
  media: [],
  plate: { text: '123ABC02', country: 'KZ', confidence: 0.9, vehicle: null, direction: 0 },
  ...over,
});

describe('normalise', () => {
  it('builds the canonical detection with a deterministic id and the camera location', () => {
    const result = normalise(plate(), camera, context);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.detection).toMatchObject({
      id: detectionId('vs-1', 'evt-1'),
      cameraId: camera.id,
      regionCode: 'ALA',
      location: { lat: 43.2383, lon: 76.9454 },
      plate: { text: '123ABC02' },
    });
    expect(result.revisedAt).toBeNull();
  });

  it('drops unknown, foreign-region and decommissioned cameras', () => {
    expect(normalise(plate(), null, context)).toEqual({ ok: false, reason: 'unknown-camera' });
    expect(normalise(plate(), { ...camera, regionCode: 'AST' }, context)).toEqual({
      ok: false,
      reason: 'unknown-camera',
    });
    expect(
      normalise(plate(), { ...camera, lifecycle: CameraLifecycle.CAMERA_LIFECYCLE_DECOMMISSIONED }, context),
    ).toEqual({ ok: false, reason: 'decommissioned-camera' });
  });

  it('bounds the vendor clock both ways', () => {
    expect(normalise(plate({ observedAt: new Date('2026-06-01T10:00:59Z') }), camera, context).ok).toBe(true);
    expect(normalise(plate({ observedAt: new Date('2026-06-01T10:01:01Z') }), camera, context)).toEqual({
      ok: false,
      reason: 'observed-in-future',
    });
    expect(normalise(plate({ observedAt: new Date('2026-06-01T08:59:59Z') }), camera, context)).toEqual({
      ok: false,
      reason: 'observed-too-long-ago',
    });
  });

  it('drops what lies inside a privacy mask', () => {
    expect(
      normalise(plate({ frameBox: { x: 0.05, y: 0.05, width: 0.05, height: 0.05 } }), camera, context),
    ).toEqual({ ok: false, reason: 'privacy-mask' });
  });
});
