import type { CallHandler, ExecutionContext, INestApplication, NestInterceptor } from '@nestjs/common';
import { INTERCEPTORS_METADATA } from '@nestjs/common/constants';
import { ModulesContainer } from '@nestjs/core';
import { RpcException, Transport } from '@nestjs/microservices';
import { status } from '@grpc/grpc-js';
import { throwError, type Observable } from 'rxjs';
import { NUL_CHARACTER_REASON, pathOfNulCharacter } from './request-input';

const TRANSPORT_METADATA = 'microservices:transport';
const INSTALLED = Symbol.for('safecity:service-kit:grpc-input-check');

/**
 * Refuses a gRPC request with a NUL character in any string (INVALID_ARGUMENT naming the field),
 * as the validation pipe does for REST: PostgreSQL cannot store it, and the handler would fail in
 * the database instead.
 */
class GrpcInputCheck implements NestInterceptor {
  readonly [INSTALLED] = true;

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (context.getType() === 'rpc') {
      const field = pathOfNulCharacter(context.switchToRpc().getData(), '');
      if (field !== undefined) {
        return throwError(
          () =>
            new RpcException({
              code: status.INVALID_ARGUMENT,
              message: `${field || 'request'}: ${NUL_CHARACTER_REASON}`,
            }),
        );
      }
    }
    return next.handle();
  }
}

const check = new GrpcInputCheck();

/**
 * Puts the input check in front of every gRPC handler of the application's controllers. Global
 * interceptors of the HTTP application do not reach a connected microservice, so it goes into each
 * handler's metadata, which Nest reads when `connectMicroservice()` registers the handlers; call
 * this before that. Starting the same service again (tests) does not stack it.
 */
export function installGrpcInputCheck(app: INestApplication): number {
  let count = 0;
  for (const module of app.get(ModulesContainer).values()) {
    for (const wrapper of module.controllers.values()) {
      const prototype = (wrapper.metatype as { prototype?: object } | null)?.prototype;
      if (!prototype) continue;
      for (const name of Object.getOwnPropertyNames(prototype)) {
        const method = Object.getOwnPropertyDescriptor(prototype, name)?.value as unknown;
        if (typeof method !== 'function') continue;
        if (Reflect.getMetadata(TRANSPORT_METADATA, method) !== Transport.GRPC) continue;
        const existing = (
          (Reflect.getMetadata(INTERCEPTORS_METADATA, method) as unknown[] | undefined) ?? []
        ).filter((i) => !(typeof i === 'object' && i !== null && INSTALLED in i));
        Reflect.defineMetadata(INTERCEPTORS_METADATA, [check, ...existing], method);
        count += 1;
      }
    }
  }
  return count;
}
