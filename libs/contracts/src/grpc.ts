/**
 * What a NestJS `Transport.GRPC` server or client needs to serve or call a platform service:
 *
 *   app.connectMicroservice<MicroserviceOptions>({
 *     transport: Transport.GRPC,
 *     options: { ...grpcOptions(CameraRegistryGrpc), url: '0.0.0.0:50051' },
 *   });
 *
 * Nest loads the .proto at runtime with @grpc/proto-loader, which decodes with protobufjs,
 * while the TypeScript types come from ts-proto. The loader options below make the two
 * agree, so a handler can return, and a client receives, exactly the ts-proto types.
 */
import * as path from 'path';
import type { Options as ProtoLoaderOptions } from '@grpc/proto-loader';
// Importing the generated modules is not only for the names: each one with Timestamp fields
// registers a protobufjs wrapper (google.protobuf.Timestamp <-> Date) as a side effect, and
// proto-loader only sees Dates if that happened before the first call is (de)serialised.
import {
  CAMERA_REGISTRY_SERVICE_NAME,
  SAFECITY_CAMERAS_V1_PACKAGE_NAME,
} from './gen/safecity/cameras/v1/cameras';
import {
  INCIDENTS_SERVICE_NAME,
  SAFECITY_INCIDENTS_V1_PACKAGE_NAME,
} from './gen/safecity/incidents/v1/incidents';
import {
  PREVENTION_SERVICE_NAME,
  SAFECITY_PREVENTION_V1_PACKAGE_NAME,
} from './gen/safecity/prevention/v1/prevention';
import {
  RECOGNITION_SERVICE_NAME,
  SAFECITY_RECOGNITION_V1_PACKAGE_NAME,
} from './gen/safecity/recognition/v1/recognition';

export type { ProtoLoaderOptions };

/**
 * Directory holding `safecity/...`: the repository's `proto/` when running from source.
 * Deployments that move the code (bundles, images) copy `proto/` along and point
 * SAFECITY_PROTO_ROOT at it.
 */
export const PROTO_ROOT = process.env['SAFECITY_PROTO_ROOT'] ?? path.resolve(__dirname, '../../../proto');

/**
 * - keepCase false: proto-loader camel-cases field names like ts-proto does (region_code ->
 *   regionCode). The two camel-casers disagree on a digit after an underscore (`line_2`:
 *   ts-proto line2, protobufjs line_2), which buf's lint allows, so a spec compares every
 *   field of every message.
 * - longs Number: int64 fields are numbers, as with ts-proto forceLong=number.
 * - enums left unset: enums stay numbers, matching ts-proto's numeric TypeScript enums
 *   (`enums: String` would deliver 'CAMERA_STATUS_ONLINE').
 * - defaults/arrays/objects true: absent scalars arrive as '', 0, false; repeated fields as [];
 *   maps as {}; absent messages and Timestamps as null. ts-proto is generated with
 *   useNullAsOptional=true, which gives its types and its decoder exactly that shape.
 * - oneofs false: true would add a virtual property naming the set member, which the ts-proto
 *   types do not have.
 * - Timestamps: protobufjs would hand out {seconds, nanos}; the wrapper registered by the
 *   generated modules (see above) turns them into Dates both ways, on server and client.
 */
export const protoLoaderOptions: ProtoLoaderOptions = {
  keepCase: false,
  longs: Number,
  defaults: true,
  arrays: true,
  objects: true,
  oneofs: false,
  includeDirs: [PROTO_ROOT],
};

export interface GrpcServiceContract {
  /** Protobuf package, the `package` option of Nest's gRPC transport. */
  package: string;
  /** Service name inside the package, for `ClientGrpc.getService()`. */
  service: string;
  /** Absolute path of the .proto that defines the service. */
  protoPath: string;
  loader: ProtoLoaderOptions;
}

function contract(pkg: string, service: string, relativeProtoPath: string): GrpcServiceContract {
  return {
    package: pkg,
    service,
    protoPath: path.join(PROTO_ROOT, relativeProtoPath),
    loader: protoLoaderOptions,
  };
}

export const CameraRegistryGrpc: GrpcServiceContract = contract(
  SAFECITY_CAMERAS_V1_PACKAGE_NAME,
  CAMERA_REGISTRY_SERVICE_NAME,
  'safecity/cameras/v1/cameras.proto',
);

export const RecognitionGrpc: GrpcServiceContract = contract(
  SAFECITY_RECOGNITION_V1_PACKAGE_NAME,
  RECOGNITION_SERVICE_NAME,
  'safecity/recognition/v1/recognition.proto',
);

export const IncidentsGrpc: GrpcServiceContract = contract(
  SAFECITY_INCIDENTS_V1_PACKAGE_NAME,
  INCIDENTS_SERVICE_NAME,
  'safecity/incidents/v1/incidents.proto',
);

export const PreventionGrpc: GrpcServiceContract = contract(
  SAFECITY_PREVENTION_V1_PACKAGE_NAME,
  PREVENTION_SERVICE_NAME,
  'safecity/prevention/v1/prevention.proto',
);

export const GrpcServices = {
  CameraRegistry: CameraRegistryGrpc,
  Recognition: RecognitionGrpc,
  Incidents: IncidentsGrpc,
  Prevention: PreventionGrpc,
} as const;

/**
 * The `package`/`protoPath`/`loader` part of Nest's gRPC options (add `url`, credentials, ...).
 * Returns fresh objects so a caller may extend them without touching the shared contract.
 */
export function grpcOptions(contract: GrpcServiceContract): {
  package: string;
  protoPath: string;
  loader: ProtoLoaderOptions;
} {
  return {
    package: contract.package,
    protoPath: contract.protoPath,
    loader: { ...contract.loader, includeDirs: [...(contract.loader.includeDirs ?? [])] },
  };
}
