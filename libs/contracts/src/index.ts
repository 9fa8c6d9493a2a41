// Generated modules, one namespace per protobuf package. They cannot all be re-exported flat:
// each declares protobufPackage, protobufFileName, DeepPartial, MessageFns, ...
export * as common from './gen/safecity/common/v1/common';
export * as cameras from './gen/safecity/cameras/v1/cameras';
export * as recognition from './gen/safecity/recognition/v1/recognition';
export * as incidents from './gen/safecity/incidents/v1/incidents';
export * as prevention from './gen/safecity/prevention/v1/prevention';
export * as audit from './gen/safecity/audit/v1/audit';

export { BoundingBox, GeoPoint } from './gen/safecity/common/v1/common';

// Cameras: read models of the camera topic are needed by every service.
export {
  BatchGetCamerasRequest,
  BatchGetCamerasResponse,
  Camera,
  CameraCapability,
  CameraChanged,
  CameraChangeKind,
  CameraLifecycle,
  CameraStatus,
  CameraStatusChanged,
  GetCameraRequest,
  GetCameraResponse,
  IngestionMethod,
  MountType,
  NormalizedPoint,
  PrivacyMask,
  ResolveExternalCameraRequest,
  ResolveExternalCameraResponse,
  VideoSystem,
  VideoSystemStatus,
  VideoSystemVendor,
  CameraRegistryControllerMethods,
  CAMERA_REGISTRY_SERVICE_NAME,
  SAFECITY_CAMERAS_V1_PACKAGE_NAME,
} from './gen/safecity/cameras/v1/cameras';
export type {
  CameraRegistryClient,
  CameraRegistryController,
  DeepPartial,
  MessageFns,
} from './gen/safecity/cameras/v1/cameras';

// Nest controller/client symbols of the other services; their messages live in the namespaces.
export {
  RecognitionControllerMethods,
  RECOGNITION_SERVICE_NAME,
  SAFECITY_RECOGNITION_V1_PACKAGE_NAME,
} from './gen/safecity/recognition/v1/recognition';
export type { RecognitionClient, RecognitionController } from './gen/safecity/recognition/v1/recognition';
export {
  IncidentsControllerMethods,
  INCIDENTS_SERVICE_NAME,
  SAFECITY_INCIDENTS_V1_PACKAGE_NAME,
} from './gen/safecity/incidents/v1/incidents';
export type { IncidentsClient, IncidentsController } from './gen/safecity/incidents/v1/incidents';
export {
  PreventionControllerMethods,
  PREVENTION_SERVICE_NAME,
  SAFECITY_PREVENTION_V1_PACKAGE_NAME,
} from './gen/safecity/prevention/v1/prevention';
export type { PreventionClient, PreventionController } from './gen/safecity/prevention/v1/prevention';

// Audit records: written by every service through libs/security.
export { AuditAction, AuditRecorded } from './gen/safecity/audit/v1/audit';

export * from './topics';
export * from './event-types';
export * from './grpc';
export * from './identifiers';
export * from './derived-uuid';
export * from './enum-names';
export type { ProtoJson } from './proto-json';
