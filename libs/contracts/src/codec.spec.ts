import {
  Camera,
  CameraChanged,
  CameraChangeKind,
  CameraStatus,
  CameraStatusChanged,
  cameras,
  decodeEvent,
  encodeEvent,
  EventTypes,
} from './index';
import { sampleCamera } from './test-fixtures';

describe('CameraChanged protobuf codec', () => {
  const event: CameraChanged = {
    kind: CameraChangeKind.CAMERA_CHANGE_KIND_UPDATED,
    camera: sampleCamera(),
  };

  it('round-trips every field, including dates, enums and 64-bit integers', () => {
    const bytes = CameraChanged.encode(event).finish();
    const decoded = CameraChanged.decode(bytes);

    expect(decoded).toEqual(event);
    expect(decoded.camera?.updatedAt).toBeInstanceOf(Date);
    expect(decoded.camera?.updatedAt?.toISOString()).toBe('2025-03-14T09:26:53.589Z');
    expect(decoded.kind).toBe(CameraChangeKind.CAMERA_CHANGE_KIND_UPDATED);
    expect(typeof decoded.camera?.version).toBe('number');
    expect(decoded.camera?.version).toBe(1_099_511_627_783);
  });

  it('round-trips through the CloudEvents value helpers', () => {
    const bytes = encodeEvent(EventTypes.CameraUpdated, event);
    const decoded = decodeEvent(EventTypes.CameraUpdated, bytes);

    expect(decoded.type).toBe(EventTypes.CameraUpdated);
    expect(decoded.message).toEqual(event);
  });

  it('decodes unset messages and timestamps as null and unset repeated fields as []', () => {
    const decoded = CameraChanged.decode(
      CameraChanged.encode({ kind: CameraChangeKind.CAMERA_CHANGE_KIND_REGISTERED, camera: null }).finish(),
    );
    expect(decoded).toEqual({ kind: CameraChangeKind.CAMERA_CHANGE_KIND_REGISTERED, camera: null });

    const bare = Camera.decode(Camera.encode(Camera.fromPartial({ id: 'c-1' })).finish());
    expect(bare.location).toBeNull();
    expect(bare.updatedAt).toBeNull();
    expect(bare.capabilities).toEqual([]);
    expect(bare.status).toBe(CameraStatus.CAMERA_STATUS_UNSPECIFIED);
  });

  it('keeps enum numbers it does not know, so a newer producer does not break decoding', () => {
    const fromNewerProducer = CameraStatusChanged.encode({
      cameraId: 'c-1',
      regionCode: 'ALA',
      status: 7 as CameraStatus,
      previousStatus: CameraStatus.CAMERA_STATUS_ONLINE,
      changedAt: new Date('2025-03-14T09:26:53.589Z'),
    }).finish();

    expect(CameraStatusChanged.decode(fromNewerProducer).status).toBe(7);
  });

  it('maps to the canonical protobuf JSON (enum names, RFC 3339 times) and back', () => {
    const json = CameraChanged.toJSON(event) as { kind: string; camera: Record<string, unknown> };

    expect(json.kind).toBe('CAMERA_CHANGE_KIND_UPDATED');
    expect(json.camera['updatedAt']).toBe('2025-03-14T09:26:53.589Z');
    expect(json.camera['lifecycle']).toBe('CAMERA_LIFECYCLE_ACTIVE');
    expect(json.camera['capabilities']).toEqual(['CAMERA_CAPABILITY_PLATES', 'CAMERA_CAPABILITY_BEHAVIOUR']);
    expect(CameraChanged.fromJSON(JSON.parse(JSON.stringify(json)))).toEqual(event);
  });

  it('is the same generated module through the namespace and the direct export', () => {
    expect(cameras.CameraChanged).toBe(CameraChanged);
    expect(cameras.CameraChangeKind).toBe(CameraChangeKind);
  });
});
