import { EXCEPTION_FILTERS_METADATA, GUARDS_METADATA } from '@nestjs/common/constants';
import type { CanActivate, ExecutionContext } from '@nestjs/common';
import { DiscoveryService, MetadataScanner } from '@nestjs/core';
import { Transport } from '@nestjs/microservices';
import { OperationRefusalRpcFilter } from '../policy/refusal-filter';
import type { AuthGuard } from './auth.guard';

const TRANSPORT_METADATA = 'microservices:transport';
const INSTALLED = Symbol.for('safecity:security:grpc-guard');

type Installed = CanActivate & { [INSTALLED]: true };

const refusals = new OperationRefusalRpcFilter();

/**
 * Puts `guard` in front of every gRPC handler of the application, and maps a use case's refusal
 * (`OperationRefusedException`) to PERMISSION_DENIED behind it.
 *
 * `APP_GUARD` only reaches the HTTP application: a microservice connected with
 * `connectMicroservice()` gets a configuration of its own unless `inheritAppConfig` is set, so
 * gRPC methods would otherwise be served without authentication. Nest reads handler guards when
 * `connectMicroservice()` registers the handlers, which is after providers are built; hence this
 * runs from a provider factory. A guard installed for an earlier application of the same process
 * is replaced, not stacked, and handlers already registered keep the one they were built with.
 */
export function installGrpcGuard(discovery: DiscoveryService, guard: AuthGuard): number {
  const scanner = new MetadataScanner();
  const installed: Installed = {
    [INSTALLED]: true,
    canActivate: (context: ExecutionContext) => guard.canActivate(context),
  };
  let count = 0;
  for (const wrapper of discovery.getControllers()) {
    const prototype = (wrapper.metatype as { prototype?: object } | null)?.prototype;
    if (!prototype) continue;
    for (const name of scanner.getAllMethodNames(prototype)) {
      const method = (prototype as Record<string, unknown>)[name];
      if (typeof method !== 'function') continue;
      if (Reflect.getMetadata(TRANSPORT_METADATA, method) !== Transport.GRPC) continue;
      const existing = ((Reflect.getMetadata(GUARDS_METADATA, method) as unknown[] | undefined) ?? []).filter(
        (g) => !(typeof g === 'object' && g !== null && INSTALLED in g),
      );
      Reflect.defineMetadata(GUARDS_METADATA, [installed, ...existing], method);
      const filters =
        (Reflect.getMetadata(EXCEPTION_FILTERS_METADATA, method) as unknown[] | undefined) ?? [];
      if (!filters.includes(refusals)) {
        Reflect.defineMetadata(EXCEPTION_FILTERS_METADATA, [...filters, refusals], method);
      }
      count += 1;
    }
  }
  return count;
}
