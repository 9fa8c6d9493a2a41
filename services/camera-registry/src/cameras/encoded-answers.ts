import type { PackageDefinition } from '@grpc/proto-loader';
import type { Camera as CameraMessage, ResolveExternalCameraResponse } from '@safecity/contracts';

/**
 * Freezes a message and everything it holds, so an answer shared between calls (and encoded only
 * once, see {@link encodeFrozenAnswersOnce}) cannot change after it was first sent.
 */
export function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const key of Object.keys(value)) deepFreeze((value as Record<string, unknown>)[key]);
  }
  return value;
}

const answers = new WeakMap<CameraMessage, ResolveExternalCameraResponse>();

/**
 * The ResolveExternalCamera answer for a cached camera: one frozen object per cached message, so
 * its encoding is computed on the first call only. A camera that is not frozen (not from the
 * lookup cache) gets a fresh answer, encoded as usual.
 */
export function resolveAnswerOf(camera: CameraMessage): ResolveExternalCameraResponse {
  if (!Object.isFrozen(camera)) return { camera };
  let answer = answers.get(camera);
  if (!answer) {
    answer = Object.freeze({ camera });
    answers.set(camera, answer);
  }
  return answer;
}

/**
 * Makes one method of a loaded package encode each frozen answer once and send the same bytes
 * afterwards (the answer cannot have changed; grpc-js copies the bytes into each response frame).
 * protobufjs' fromObject + encode of a full Camera costs more than everything else the lookup
 * does, and ResolveExternalCamera answers the same few thousand cameras thousands of times a
 * second. Other answers are encoded as before. Bytes live as long as their answer object.
 */
export function encodeFrozenAnswersOnce(
  definition: PackageDefinition,
  service: string,
  method: string,
): void {
  const methods = definition[service] as
    Record<string, { responseSerialize?: (value: unknown) => Buffer }> | undefined;
  const target = methods?.[method];
  if (!target?.responseSerialize) throw new Error(`no gRPC method ${service}/${method} to encode answers of`);
  const encode = target.responseSerialize;
  const encoded = new WeakMap<object, Buffer>();
  target.responseSerialize = (value: unknown): Buffer => {
    if (typeof value !== 'object' || value === null || !Object.isFrozen(value)) return encode(value);
    let bytes = encoded.get(value);
    if (!bytes) {
      bytes = encode(value);
      encoded.set(value, bytes);
    }
    return bytes;
  };
}
