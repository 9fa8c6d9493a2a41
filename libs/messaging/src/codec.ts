/** What a consumer needs of a protobuf message to read a record value. */
export interface EventDecoder<T = unknown> {
  decode(input: Uint8Array): T;
}

/** Resolves the decoder of a CloudEvents type; `undefined` for a type this service does not know. */
export type EventCodecRegistry = (ceType: string) => EventDecoder | undefined;
