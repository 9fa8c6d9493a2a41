/**
 * The REST vocabulary of a protobuf enum: REST speaks enum values as short kebab-case names
 * (`INGESTION_METHOD_ONVIF_EVENTS` → `onvif-events`, `HOTLIST_REASON_WANTED_PERSON` →
 * `wanted-person`), the contract as numbers. Every REST surface takes its names from here, so one
 * concept has one spelling everywhere and the names cannot drift from the contract.
 */
type Kebab<S extends string> = S extends `${infer Head}_${infer Tail}`
  ? `${Lowercase<Head>}-${Kebab<Tail>}`
  : Lowercase<S>;

/** The names of an enum's values without the prefix, `UNSPECIFIED` and ts-proto's `UNRECOGNIZED`. */
export type EnumNameOf<E, Prefix extends string> = {
  [K in keyof E]: K extends `${Prefix}UNSPECIFIED`
    ? never
    : K extends `${Prefix}${infer Rest}`
      ? Kebab<Rest>
      : never;
}[keyof E];

export interface EnumNames<Name extends string, Value extends number> {
  /** Every name, in the order of the enum's values. */
  readonly names: readonly Name[];
  /** The name of a value; `unspecified` for 0 and values this build does not know. */
  toName(value: number): Name | 'unspecified';
  /** The value of a name; undefined for a name the enum does not have. */
  fromName(name: string): Value | undefined;
}

export function enumNames<E extends Record<string, string | number>, Prefix extends string>(
  enumObject: E,
  prefix: Prefix,
): EnumNames<EnumNameOf<E, Prefix>, Extract<E[keyof E], number>> {
  type Name = EnumNameOf<E, Prefix>;
  type Value = Extract<E[keyof E], number>;
  const byValue = new Map<number, Name>();
  const byName = new Map<string, Value>();
  const entries = Object.entries(enumObject).filter(
    (entry): entry is [string, Value] =>
      typeof entry[1] === 'number' && entry[1] > 0 && entry[0].startsWith(prefix),
  );
  for (const [key, value] of entries.sort((a, b) => a[1] - b[1])) {
    const name = key.slice(prefix.length).toLowerCase().replace(/_/g, '-') as Name;
    byValue.set(value, name);
    byName.set(name, value);
  }
  return {
    names: [...byValue.values()],
    toName: (value) => byValue.get(value) ?? 'unspecified',
    fromName: (name) => byName.get(name),
  };
}
