import { definePolicies, PLATFORM_ROLES, type Role } from '@safecity/security';

/** An akimat's and the platform's administrators: they change video systems, cameras and keys. */
const ADMINS: Role[] = ['admin', 'region-admin'];
/** Everyone who works with cameras reads them. */
const READERS: Role[] = ['admin', 'region-admin', 'operator', 'supervisor', 'analyst'];
/** Readers, and the platform's services resolving cameras for detections and incidents. */
const READERS_AND_SERVICES: Role[] = [...READERS, 'service'];

/**
 * One policy per operation of camera-registry, whichever transport calls it: the REST route and the
 * gRPC method of an operation name the same policy, and so does the use case both reach. Nothing
 * here is personal data: cameras, systems and centers are places and equipment.
 */
export const CAMERA_REGISTRY_POLICIES = definePolicies('camera-registry', {
  /** `POST /cameras`. */
  registerCamera: { callers: ADMINS, regions: 'own', reveals: [] },
  /** `GET /cameras`. */
  listCameras: { callers: READERS, regions: 'own', reveals: [] },
  /** `GET /cameras/:id`, gRPC `GetCamera`. */
  getCamera: { callers: READERS_AND_SERVICES, regions: 'own', reveals: [] },
  /** gRPC `BatchGetCameras`. */
  batchGetCameras: { callers: READERS_AND_SERVICES, regions: 'own', reveals: [] },
  /** gRPC `ResolveExternalCamera`: the camera behind a vendor's id. */
  resolveExternalCamera: { callers: READERS_AND_SERVICES, regions: 'own', reveals: [] },
  /** `PATCH /cameras/:id`. */
  updateCamera: { callers: ADMINS, regions: 'own', reveals: [] },
  /** `POST /cameras/:id/decommission`. */
  decommissionCamera: { callers: ADMINS, regions: 'own', reveals: [] },
  /** `POST /video-systems/:id/cameras/import`. */
  importCameras: { callers: ADMINS, regions: 'own', reveals: [] },
  /** `POST /video-systems`. */
  createVideoSystem: { callers: ADMINS, regions: 'own', reveals: [] },
  /** `GET /video-systems/:id`, gRPC `GetVideoSystem` (recognition, before it issues an ingest key). */
  getVideoSystem: { callers: READERS_AND_SERVICES, regions: 'own', reveals: [] },
  /** `GET /video-systems`. */
  listVideoSystems: { callers: READERS, regions: 'own', reveals: [] },
  /** `POST /video-systems/:id/api-keys`, `…/rotate`, `DELETE …/:keyId`, `GET …/api-keys`. */
  issueApiKey: { callers: ADMINS, regions: 'own', reveals: [] },
  rotateApiKey: { callers: ADMINS, regions: 'own', reveals: [] },
  revokeApiKey: { callers: ADMINS, regions: 'own', reveals: [] },
  listApiKeys: { callers: ADMINS, regions: 'own', reveals: [] },
  /** `POST /video-systems/:id/heartbeats`, `POST /cameras/:id/heartbeats`: by the system's API key. */
  reportHeartbeat: { callers: 'video-systems', regions: 'own', reveals: [] },
  /** `safecity.camera-heartbeats.v1`: heartbeats the platform's gateways relay over the bus. */
  recordHeartbeatEvents: { callers: ['service'], regions: 'own', reveals: [] },
  /** `GET /cameras/:id/health`, `…/uptime`, `GET /video-systems/:id/health`. */
  readHealth: { callers: READERS, regions: 'own', reveals: [] },
  /** `PUT /cameras/:id/health-settings`, `PUT /video-systems/:id/health-settings`. */
  setHealthSettings: { callers: ADMINS, regions: 'own', reveals: [] },
  /** `POST /operations-centers`. */
  createOperationsCenter: { callers: ADMINS, regions: 'own', reveals: [] },
  /** `GET /operations-centers`, `…/covering`, `…/:id`, gRPC `ListOperationsCenters`. */
  readOperationsCenters: { callers: READERS_AND_SERVICES, regions: 'own', reveals: [] },
  /**
   * `PUT|DELETE /cameras/:id/media-source`: where the platform's analytics read a camera. Media
   * sources name addresses inside an akimat's network; credentials are write-only.
   */
  keepMediaSources: { callers: ADMINS, regions: 'own', reveals: [] },
  /** `GET /cameras/:id/media-source`: the source without its credentials. */
  readMediaSources: { callers: ADMINS, regions: 'own', reveals: [] },
  /** `GET /regions`, `GET /regions/:code/districts`: the map every signed-in role may read. */
  readRegions: { callers: [...PLATFORM_ROLES], regions: 'none', reveals: [] },
});
