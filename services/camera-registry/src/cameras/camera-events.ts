import { CameraChanged, CameraChangeKind, EventTypes, Topics } from '@safecity/contracts';
import type { OutboundEvent } from '@safecity/messaging';
import type { CameraEntity } from './camera.entity';
import { toCameraMessage } from './camera.mapper';

export type CameraChange =
  | CameraChangeKind.CAMERA_CHANGE_KIND_REGISTERED
  | CameraChangeKind.CAMERA_CHANGE_KIND_UPDATED
  | CameraChangeKind.CAMERA_CHANGE_KIND_DECOMMISSIONED;

const EVENT_TYPE: Record<CameraChange, string> = {
  [CameraChangeKind.CAMERA_CHANGE_KIND_REGISTERED]: EventTypes.CameraRegistered,
  [CameraChangeKind.CAMERA_CHANGE_KIND_UPDATED]: EventTypes.CameraUpdated,
  [CameraChangeKind.CAMERA_CHANGE_KIND_DECOMMISSIONED]: EventTypes.CameraDecommissioned,
};

/**
 * The event for `safecity.cameras.v1`: the camera's full state, keyed by its id, so the compacted
 * topic always holds every camera's latest version.
 */
export function cameraChangedEvent(camera: CameraEntity, kind: CameraChange): OutboundEvent {
  return {
    topic: Topics.Cameras,
    key: camera.id,
    type: EVENT_TYPE[kind],
    subject: camera.id,
    region: camera.regionCode,
    payload: CameraChanged.encode({ kind, camera: toCameraMessage(camera) }).finish(),
  };
}
