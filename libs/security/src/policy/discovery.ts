import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants';
import { RequestMethod, type INestApplicationContext } from '@nestjs/common';
import { DiscoveryService, MetadataScanner } from '@nestjs/core';
import { Transport } from '@nestjs/microservices';
import { VIDEO_SYSTEM_AUTH } from '../auth/decorators';
import { operationPolicyOf, useCasePolicyOf } from './decorators';
import type { OperationPolicy } from './operation-policy';

const PATTERN_METADATA = 'microservices:pattern';
const TRANSPORT_METADATA = 'microservices:transport';

/** A REST route or gRPC method an application serves, and the policy it names. */
export interface DiscoveredHandler {
  transport: 'http' | 'grpc';
  /** `GET /incidents/:id` or `Incidents.GetIncident`. */
  name: string;
  /** HTTP: the method and the path as routed (`:param` placeholders). */
  httpMethod?: string;
  path?: string;
  /** gRPC: the service and method names of the contract. */
  grpcService?: string;
  rpc?: string;
  controller: string;
  handler: string;
  policy: OperationPolicy | undefined;
  /** `@VideoSystemAuth()`: API keys instead of bearer tokens. */
  videoSystems: boolean;
}

function joinPath(...parts: string[]): string {
  const joined = parts
    .flatMap((part) => part.split('/'))
    .filter((segment) => segment !== '')
    .join('/');
  return `/${joined}`;
}

function asArray(value: unknown): string[] {
  if (value === undefined || value === null) return [''];
  return Array.isArray(value) ? value.map(String) : [String(value)];
}

/**
 * Every REST route and gRPC method of an application, from Nest's own metadata: what the matrix
 * of role × operation × transport is generated from, and what finds a handler without a policy.
 */
export function discoverHandlers(app: INestApplicationContext): DiscoveredHandler[] {
  const discovery = app.get(DiscoveryService, { strict: false });
  const scanner = new MetadataScanner();
  const found: DiscoveredHandler[] = [];
  for (const wrapper of discovery.getControllers()) {
    const type = wrapper.metatype as (new (...args: never[]) => unknown) | null;
    const prototype = (type as { prototype?: object } | null)?.prototype;
    if (!type || !prototype) continue;
    const classVideoSystems = Boolean(Reflect.getMetadata(VIDEO_SYSTEM_AUTH, type));
    for (const name of scanner.getAllMethodNames(prototype)) {
      const method = (prototype as Record<string, unknown>)[name];
      if (typeof method !== 'function') continue;
      const base = {
        controller: type.name,
        handler: name,
        policy: operationPolicyOf(method),
        videoSystems: classVideoSystems || Boolean(Reflect.getMetadata(VIDEO_SYSTEM_AUTH, method)),
      };
      if (Reflect.getMetadata(TRANSPORT_METADATA, method) === Transport.GRPC) {
        const patterns =
          (Reflect.getMetadata(PATTERN_METADATA, method) as { service: string; rpc: string }[]) ?? [];
        for (const pattern of patterns) {
          // ts-proto's decorators name methods as `getIncident`, the proto as `GetIncident`.
          const rpc = pattern.rpc.charAt(0).toUpperCase() + pattern.rpc.slice(1);
          found.push({
            ...base,
            transport: 'grpc',
            name: `${pattern.service}.${rpc}`,
            grpcService: pattern.service,
            rpc,
          });
        }
        continue;
      }
      const verb = Reflect.getMetadata(METHOD_METADATA, method) as RequestMethod | undefined;
      const routePaths = Reflect.getMetadata(PATH_METADATA, method) as unknown;
      if (verb === undefined || routePaths === undefined) continue;
      for (const prefix of asArray(Reflect.getMetadata(PATH_METADATA, type))) {
        for (const route of asArray(routePaths)) {
          const path = joinPath(prefix, route);
          const httpMethod = RequestMethod[verb];
          found.push({ ...base, transport: 'http', name: `${httpMethod} ${path}`, httpMethod, path });
        }
      }
    }
  }
  return found;
}

/** The use cases (service methods marked `@UseCase`) among an application's providers. */
export function discoverUseCases(
  app: INestApplicationContext,
): { provider: string; method: string; policy: OperationPolicy }[] {
  const discovery = app.get(DiscoveryService, { strict: false });
  const scanner = new MetadataScanner();
  const found: { provider: string; method: string; policy: OperationPolicy }[] = [];
  const seen = new Set<unknown>();
  for (const wrapper of discovery.getProviders()) {
    const prototype = (wrapper.metatype as { prototype?: object } | null)?.prototype;
    if (!prototype || seen.has(prototype)) continue;
    seen.add(prototype);
    for (const name of scanner.getAllMethodNames(prototype)) {
      const policy = useCasePolicyOf((prototype as Record<string, unknown>)[name]);
      if (policy) found.push({ provider: (wrapper.metatype as { name: string }).name, method: name, policy });
    }
  }
  return found;
}
