import { BinaryWriter } from '@bufbuild/protobuf/wire';
import { recognition } from '@safecity/contracts';

/** Reused across calls: encoding is synchronous, and a warm writer never grows its buffer again. */
const writer = new BinaryWriter();

export interface EncodedObservation {
  /** The `DetectionObserved` event value. */
  observed: Uint8Array;
  /** The `Detection` inside it, as the detections table stores it: a view, not a copy. */
  detection: Uint8Array;
}

/**
 * Encodes a detection once for both of its uses: the stored row and the `DetectionObserved`
 * event, whose only field is that same message (field 1, length-delimited).
 */
export function encodeObservation(detection: recognition.Detection): EncodedObservation {
  writer.uint32(10).fork();
  recognition.Detection.encode(detection, writer);
  writer.join();
  const observed = writer.finish();
  let at = 1;
  while (observed[at]! & 0x80) at++;
  return { observed, detection: observed.subarray(at + 1) };
}
