import {
  CameraCapability,
  CameraLifecycle,
  CameraStatus,
  MountType,
  type Camera as CameraMessage,
} from '@safecity/contracts';
import type {
  CameraCapabilityName,
  CameraEntity,
  CameraLifecycleName,
  CameraStatusName,
  MountTypeName,
} from './camera.entity';

const CAPABILITY: Record<CameraCapabilityName, CameraCapability> = {
  plates: CameraCapability.CAMERA_CAPABILITY_PLATES,
  faces: CameraCapability.CAMERA_CAPABILITY_FACES,
  behaviour: CameraCapability.CAMERA_CAPABILITY_BEHAVIOUR,
  ptz: CameraCapability.CAMERA_CAPABILITY_PTZ,
};
const LIFECYCLE: Record<CameraLifecycleName, CameraLifecycle> = {
  planned: CameraLifecycle.CAMERA_LIFECYCLE_PLANNED,
  active: CameraLifecycle.CAMERA_LIFECYCLE_ACTIVE,
  maintenance: CameraLifecycle.CAMERA_LIFECYCLE_MAINTENANCE,
  decommissioned: CameraLifecycle.CAMERA_LIFECYCLE_DECOMMISSIONED,
};
const STATUS: Record<CameraStatusName, CameraStatus> = {
  unknown: CameraStatus.CAMERA_STATUS_UNSPECIFIED,
  online: CameraStatus.CAMERA_STATUS_ONLINE,
  offline: CameraStatus.CAMERA_STATUS_OFFLINE,
};
const MOUNT: Record<MountTypeName, MountType> = {
  pole: MountType.MOUNT_TYPE_POLE,
  wall: MountType.MOUNT_TYPE_WALL,
  ceiling: MountType.MOUNT_TYPE_CEILING,
  vehicle: MountType.MOUNT_TYPE_VEHICLE,
  other: MountType.MOUNT_TYPE_OTHER,
};

/** The contract's view of a camera: what goes on `safecity.cameras.v1` and out of gRPC. */
export function toCameraMessage(camera: CameraEntity): CameraMessage {
  return {
    id: camera.id,
    regionCode: camera.regionCode,
    districtCode: camera.districtCode ?? '',
    videoSystemId: camera.videoSystemId,
    externalId: camera.externalId,
    name: camera.name,
    location: { lat: camera.lat, lon: camera.lon },
    address: camera.address ?? '',
    directionDeg: camera.directionDeg ?? 0,
    fieldOfViewDeg: camera.fieldOfViewDeg ?? 0,
    mountType: camera.mountType ? MOUNT[camera.mountType] : MountType.MOUNT_TYPE_UNSPECIFIED,
    capabilities: camera.capabilities.map((c) => CAPABILITY[c]),
    privacyMasks: camera.privacyMasks.map((m) => ({
      name: m.name,
      polygon: m.polygon.map((p) => ({ ...p })),
    })),
    tags: [...camera.tags],
    lifecycle: LIFECYCLE[camera.lifecycle],
    status: STATUS[camera.status],
    version: camera.version,
    updatedAt: camera.updatedAt,
  };
}

/** The REST view of a camera. */
export function toCameraView(camera: CameraEntity) {
  return {
    id: camera.id,
    regionCode: camera.regionCode,
    districtCode: camera.districtCode,
    videoSystemId: camera.videoSystemId,
    externalId: camera.externalId,
    name: camera.name,
    location: { lat: camera.lat, lon: camera.lon },
    address: camera.address,
    directionDeg: camera.directionDeg,
    fieldOfViewDeg: camera.fieldOfViewDeg,
    mountType: camera.mountType,
    capabilities: camera.capabilities,
    privacyMasks: camera.privacyMasks,
    tags: camera.tags,
    lifecycle: camera.lifecycle,
    status: camera.status,
    version: camera.version,
    createdAt: camera.createdAt.toISOString(),
    updatedAt: camera.updatedAt.toISOString(),
  };
}
export type CameraView = ReturnType<typeof toCameraView>;
