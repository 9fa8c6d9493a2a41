// The parts of kafkajs 2.2.4's protocol layer the produce encoding replaces or is checked against.
// kafkajs ships no types for them; these name only what is used.

declare module 'kafkajs/src/protocol/encoder' {
  class Encoder {
    constructor(initialSize?: number);
    buf: Buffer;
    offset: number;
    readonly buffer: Buffer;
    size(): number;
    writeVarLong(value: unknown): this;
    writeInt16(value: number): this;
    writeInt32(value: number): this;
    writeInt64(value: unknown): this;
    writeString(value: string | null): this;
    writeBuffer(value: Buffer): this;
  }
  export = Encoder;
}

declare module 'kafkajs/src/utils/long' {
  class Long {
    static fromValue(value: unknown): Long;
    getHighBits(): number;
    getLowBits(): number;
  }
  export = Long;
}

declare module 'kafkajs/src/protocol/requests/produce' {
  type ProduceRequestFactory = (args: unknown) => {
    request: { apiKey: number; apiVersion: number; encode: () => Promise<unknown> };
    response: unknown;
  };
  const produce: {
    versions: string[];
    protocol: (options: { version: number }) => ProduceRequestFactory | undefined;
  };
  export = produce;
}

declare module 'kafkajs/src/protocol/requests/produce/v3/request' {
  const request: (args: unknown) => { encode: () => Promise<{ buffer: Buffer }> };
  export = request;
}

declare module 'kafkajs/src/protocol/recordBatch/crc32C' {
  const crc32C: (buffer: Buffer) => number;
  export = crc32C;
}

declare module 'kafkajs/src/protocol/decoder' {
  class Decoder {
    constructor(buffer: Buffer);
    buffer: Buffer;
    offset: number;
    readInt8(): number;
    readInt16(): number;
    readInt32(): number;
    readInt64(): bigint;
    readString(): string | null;
    readVarLong(): { toString(): string };
    readArray<T>(reader: (decoder: Decoder) => T): T[];
    readArrayAsync<T>(reader: (decoder: Decoder) => Promise<T>): Promise<T[]>;
    canReadBytes(length: number): boolean;
  }
  export = Decoder;
}

declare module 'kafkajs/src/protocol/requests/fetch' {
  type FetchRequestFactory = (args: unknown) => {
    request: unknown;
    response: { decode: (data: Buffer) => Promise<unknown>; parse: (data: unknown) => Promise<unknown> };
    requestTimeout?: number;
  };
  const fetch: {
    versions: string[];
    protocol: (options: { version: number }) => FetchRequestFactory | undefined;
  };
  export = fetch;
}

declare module 'kafkajs/src/protocol/requests/fetch/v4/decodeMessages' {
  import Decoder from 'kafkajs/src/protocol/decoder';
  const decodeMessages: (decoder: Decoder) => Promise<unknown[]>;
  export = decodeMessages;
}

declare module 'kafkajs/src/protocol/requests/fetch/v11/response' {
  const response: { decode: (data: Buffer) => Promise<unknown> };
  export = response;
}
