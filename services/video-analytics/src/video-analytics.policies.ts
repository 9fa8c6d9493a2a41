import { definePolicies } from '@safecity/security';

/**
 * One policy per operation of video-analytics. Nothing here is personal data: what an instance
 * watches is cameras and how they are read, never addresses or credentials.
 */
export const VIDEO_ANALYTICS_POLICIES = definePolicies('video-analytics', {
  /** `GET /watched-cameras`: the cameras this instance watches, of the caller's regions. */
  readWatchedCameras: { callers: ['admin', 'region-admin', 'service'], regions: 'own', reveals: [] },
});
