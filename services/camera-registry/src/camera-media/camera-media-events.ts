import { cameras, EventTypes, Topics } from '@safecity/contracts';
import type { OutboundEvent } from '@safecity/messaging';
import type { CameraEntity } from '../cameras/camera.entity';
import type { AnalyticsFeatureName } from './camera-media-source.dto';
import type { CameraMediaSourceRow } from './camera-media.repository';

const FEATURE: Record<AnalyticsFeatureName, cameras.AnalyticsFeature> = {
  faces: cameras.AnalyticsFeature.ANALYTICS_FEATURE_FACES,
  objects: cameras.AnalyticsFeature.ANALYTICS_FEATURE_OBJECTS,
  intrusion: cameras.AnalyticsFeature.ANALYTICS_FEATURE_INTRUSION,
  loitering: cameras.AnalyticsFeature.ANALYTICS_FEATURE_LOITERING,
  falls: cameras.AnalyticsFeature.ANALYTICS_FEATURE_FALLS,
};

/**
 * The event for `safecity.camera-media.v1`: the source as it now is, keyed by camera, so the
 * compacted topic holds every camera's latest source. Credentials travel only sealed.
 */
export function cameraMediaSourceChangedEvent(
  camera: CameraEntity,
  row: CameraMediaSourceRow,
): OutboundEvent {
  const source: cameras.CameraMediaSource | null = row.removed
    ? null
    : {
        cameraId: camera.id,
        videoSystemId: camera.videoSystemId,
        externalId: camera.externalId,
        regionCode: camera.regionCode,
        rtspUrl: row.rtspUrl ?? '',
        onvifMediaUrl: row.onvifMediaUrl ?? '',
        onvifProfileToken: row.onvifProfileToken ?? '',
        snapshotUrl: row.snapshotUrl ?? '',
        sealedCredentials: row.sealedCredentials ?? new Uint8Array(0),
        frameRate: row.frameRate,
        features: row.features.map((f) => FEATURE[f]),
        zones: row.zones.map((z) => ({
          name: z.name,
          polygon: z.polygon,
          loiterSeconds: z.loiterSeconds,
          intrusion: z.intrusion,
          crowdThreshold: z.crowdThreshold,
          countVehicles: z.countVehicles,
        })),
        version: row.version,
      };
  return {
    topic: Topics.CameraMedia,
    key: camera.id,
    type: EventTypes.CameraMediaSourceChanged,
    subject: camera.id,
    region: camera.regionCode,
    payload: cameras.CameraMediaSourceChanged.encode({
      cameraId: camera.id,
      removed: row.removed,
      source,
      version: row.version,
    }).finish(),
  };
}
