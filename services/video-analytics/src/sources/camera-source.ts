import { cameras } from '@safecity/contracts';
import type { AnalyticsFeature, Zone } from '../analytics/scene-analytics';

/** A camera this service may watch, as camera-registry describes its media (credentials sealed). */
export interface CameraSource {
  cameraId: string;
  videoSystemId: string;
  externalId: string;
  regionCode: string;
  rtspUrl: string | null;
  onvif: { mediaUrl: string; profileToken: string } | null;
  snapshotUrl: string | null;
  sealedCredentials: Uint8Array | null;
  frameRate: number;
  features: AnalyticsFeature[];
  zones: Zone[];
  version: number;
}

const FEATURE: Partial<Record<cameras.AnalyticsFeature, AnalyticsFeature>> = {
  [cameras.AnalyticsFeature.ANALYTICS_FEATURE_FACES]: 'faces',
  [cameras.AnalyticsFeature.ANALYTICS_FEATURE_OBJECTS]: 'objects',
  [cameras.AnalyticsFeature.ANALYTICS_FEATURE_INTRUSION]: 'intrusion',
  [cameras.AnalyticsFeature.ANALYTICS_FEATURE_LOITERING]: 'loitering',
  [cameras.AnalyticsFeature.ANALYTICS_FEATURE_FALLS]: 'falls',
};

export function fromMessage(m: cameras.CameraMediaSource): CameraSource {
  return {
    cameraId: m.cameraId,
    videoSystemId: m.videoSystemId,
    externalId: m.externalId,
    regionCode: m.regionCode,
    rtspUrl: m.rtspUrl || null,
    onvif: m.onvifMediaUrl ? { mediaUrl: m.onvifMediaUrl, profileToken: m.onvifProfileToken } : null,
    snapshotUrl: m.snapshotUrl || null,
    sealedCredentials: m.sealedCredentials.length > 0 ? m.sealedCredentials : null,
    frameRate: Math.min(10, Math.max(0.1, m.frameRate || 1)),
    features: m.features.flatMap((f) => (FEATURE[f] ? [FEATURE[f]!] : [])),
    zones: m.zones.map((z) => ({
      name: z.name,
      polygon: z.polygon.map((p) => ({ x: p.x, y: p.y })),
      loiterSeconds: z.loiterSeconds,
      intrusion: z.intrusion,
      crowdThreshold: z.crowdThreshold,
      countVehicles: z.countVehicles,
    })),
    version: Number(m.version),
  };
}
