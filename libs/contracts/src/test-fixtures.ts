// Sample messages for this library's specs. Not exported from index.ts.
import {
  Camera,
  CameraCapability,
  CameraLifecycle,
  CameraStatus,
  MountType,
} from './gen/safecity/cameras/v1/cameras';

/** A camera with every field set to a non-default value, so a dropped field shows. */
export function sampleCamera(overrides: Partial<Camera> = {}): Camera {
  return {
    id: '0b8f6c1e-3d2a-4f7b-9c61-5e2d8a4b7f10',
    regionCode: 'AST',
    districtCode: 'AST-ESIL',
    videoSystemId: 'f4a2d9e0-7b1c-4e38-a5d6-2c9b8e1f0a37',
    externalId: 'HIK-DS-2CD7A-000123',
    name: 'Kabanbay Batyr ave. / Turan ave., north-east pole',
    location: { lat: 51.128207, lon: 71.430411 },
    address: 'Astana, Esil district, Kabanbay Batyr ave. 53',
    directionDeg: 137.5,
    fieldOfViewDeg: 92.25,
    mountType: MountType.MOUNT_TYPE_POLE,
    capabilities: [CameraCapability.CAMERA_CAPABILITY_PLATES, CameraCapability.CAMERA_CAPABILITY_BEHAVIOUR],
    privacyMasks: [
      {
        name: 'residential windows, building 53',
        polygon: [
          { x: 0.61, y: 0.05 },
          { x: 0.98, y: 0.05 },
          { x: 0.98, y: 0.42 },
          { x: 0.61, y: 0.38 },
        ],
      },
    ],
    tags: ['intersection', 'school-zone'],
    lifecycle: CameraLifecycle.CAMERA_LIFECYCLE_ACTIVE,
    status: CameraStatus.CAMERA_STATUS_ONLINE,
    // Above 2^32, so a 64-bit value that went through 32 bits somewhere would show.
    version: 1_099_511_627_783,
    updatedAt: new Date('2025-03-14T09:26:53.589Z'),
    ...overrides,
  };
}
