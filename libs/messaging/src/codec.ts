/** A protobuf codec as ts-proto generates it for every message. */
export interface EventCodec<T = unknown> {
  encode(message: T): { finish(): Uint8Array };
  decode(input: Uint8Array): T;
}

/** Resolves the codec of a CloudEvents type; `undefined` for a type this service does not know. */
export type EventCodecRegistry = (ceType: string) => EventCodec | undefined;
