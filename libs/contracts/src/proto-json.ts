/**
 * The type of a message's protobuf JSON mapping, as the generated `toJSON` writes it (and types as
 * `unknown`): fields with default values left out, timestamps and bytes as strings, enums by name.
 * A handler that answers with `toJSON` declares this, so its OpenAPI response is generated too.
 */
export type ProtoJson<T> = T extends Date
  ? string
  : T extends Uint8Array
    ? string
    : T extends readonly (infer U)[]
      ? ProtoJson<U>[]
      : T extends number
        ? number extends T
          ? number
          : string // an enum: written as the value's name
        : T extends string | boolean
          ? T
          : T extends object
            ? { [K in keyof T]?: ProtoJson<NonNullable<T[K]>> }
            : T;
