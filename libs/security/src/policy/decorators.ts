import { SetMetadata } from '@nestjs/common';
import { authorize, callerAmong, type OperationPolicy } from './operation-policy';

/** Metadata key of the policy on a REST or gRPC handler. */
export const OPERATION_POLICY = 'safecity:security:operation-policy';
/** Metadata key of the policy on a use case (a service method both transports reach). */
export const USE_CASE_POLICY = 'safecity:security:use-case-policy';

/**
 * Names the operation a REST route or gRPC method serves. The guard refuses callers the policy
 * does not admit before the request is read (so a refusal is 403 / PERMISSION_DENIED whatever the
 * input), and refuses every call of a handler without one.
 */
export const Operation = (policy: OperationPolicy): MethodDecorator => SetMetadata(OPERATION_POLICY, policy);

/** The policy a handler names, if any. */
export function operationPolicyOf(handler: unknown): OperationPolicy | undefined {
  return typeof handler === 'function'
    ? (Reflect.getMetadata(OPERATION_POLICY, handler) as OperationPolicy | undefined)
    : undefined;
}

/**
 * Marks the service method that carries out an operation, whichever transport asked for it, and
 * enforces the operation's policy on the caller found among its arguments (a principal, a
 * `RegionScope.of(principal)`, or a reader `{ actor }`). A call without a caller is refused: a use
 * case is never run on nobody's behalf.
 */
export function UseCase(policy: OperationPolicy): MethodDecorator {
  return (_target, _key, descriptor: PropertyDescriptor) => {
    const run = descriptor.value as (...args: unknown[]) => unknown;
    if (typeof run !== 'function') throw new Error(`@UseCase(${policy.name}) must decorate a method`);
    // An async method refuses with a rejected promise, as it would fail anywhere else in its body.
    const isAsync = run.constructor?.name === 'AsyncFunction';
    const guarded = function (this: unknown, ...args: unknown[]) {
      try {
        authorize(policy, callerAmong(args));
      } catch (refusal) {
        if (isAsync) return Promise.reject(refusal);
        throw refusal;
      }
      return run.apply(this, args);
    };
    Object.defineProperty(guarded, 'name', { value: run.name });
    for (const key of Reflect.getMetadataKeys(run) as unknown[]) {
      Reflect.defineMetadata(key, Reflect.getMetadata(key, run), guarded);
    }
    Reflect.defineMetadata(USE_CASE_POLICY, policy, guarded);
    descriptor.value = guarded;
    return descriptor;
  };
}

/** The policy a use case enforces, if the method is one. */
export function useCasePolicyOf(method: unknown): OperationPolicy | undefined {
  return typeof method === 'function'
    ? (Reflect.getMetadata(USE_CASE_POLICY, method) as OperationPolicy | undefined)
    : undefined;
}
