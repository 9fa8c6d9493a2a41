import { Matches, type ValidationOptions } from 'class-validator';

/**
 * The 17 regions and 3 cities of republican significance of Kazakhstan, by their ISO 3166-2:KZ
 * codes without the `KZ-` prefix. Region scope in tokens, API keys and rows uses these codes;
 * the aliases let people type the names they know (English, Russian and Kazakh, in Cyrillic and
 * in the Latin transliterations in common use) wherever a person types a region, e.g. the dev
 * token command.
 */
export interface RegionEntry {
  code: string;
  /** English name. */
  name: string;
  kind: 'region' | 'city';
  /** Other names, lower case; matched after the input is lower-cased and its separators collapsed. */
  aliases: readonly string[];
}

export const KZ_REGIONS: readonly RegionEntry[] = [
  {
    code: 'ALA',
    name: 'Almaty',
    kind: 'city',
    aliases: ['almaty', 'almaty city', 'alma ata', 'almaty qalasy', 'алматы', 'алма ата', 'город алматы'],
  },
  {
    code: 'AST',
    name: 'Astana',
    kind: 'city',
    aliases: ['astana', 'astana city', 'nur sultan', 'nursultan', 'akmola city', 'астана', 'нур султан'],
  },
  {
    code: 'SHY',
    name: 'Shymkent',
    kind: 'city',
    aliases: ['shymkent', 'shymkent city', 'chimkent', 'шымкент', 'чимкент'],
  },
  {
    code: 'ABY',
    name: 'Abai Region',
    kind: 'region',
    aliases: ['abai', 'abay', 'abai oblysy', 'abayskaya', 'абай', 'абайская область', 'абай облысы'],
  },
  {
    code: 'AKM',
    name: 'Akmola Region',
    kind: 'region',
    aliases: ['akmola', 'aqmola', 'akmolinskaya', 'акмола', 'акмолинская область', 'ақмола облысы'],
  },
  {
    code: 'AKT',
    name: 'Aktobe Region',
    kind: 'region',
    aliases: [
      'aktobe',
      'aqtobe',
      'aktyubinsk',
      'aktyubinskaya',
      'актобе',
      'актюбинская область',
      'ақтөбе облысы',
    ],
  },
  {
    code: 'ALM',
    name: 'Almaty Region',
    kind: 'region',
    aliases: [
      'almaty region',
      'almaty oblast',
      'almaty oblysy',
      'almatinskaya',
      'алматинская область',
      'алматы облысы',
    ],
  },
  {
    code: 'ATY',
    name: 'Atyrau Region',
    kind: 'region',
    aliases: ['atyrau', 'atyrauskaya', 'guryev', 'атырау', 'атырауская область', 'атырау облысы'],
  },
  {
    code: 'VOS',
    name: 'East Kazakhstan Region',
    kind: 'region',
    aliases: [
      'east kazakhstan',
      'vostochno kazakhstanskaya',
      'shygys kazakhstan',
      'shygys qazaqstan',
      'vko',
      'восточно казахстанская область',
      'вко',
      'шығыс қазақстан облысы',
    ],
  },
  {
    code: 'ZHA',
    name: 'Jambyl Region',
    kind: 'region',
    aliases: [
      'jambyl',
      'zhambyl',
      'zhambylskaya',
      'dzhambul',
      'жамбыл',
      'жамбылская область',
      'жамбыл облысы',
    ],
  },
  {
    code: 'ZHT',
    name: 'Jetisu Region',
    kind: 'region',
    aliases: [
      'jetisu',
      'zhetisu',
      'zhetysu',
      'zhetysuskaya',
      'жетысу',
      'жетысуская область',
      'жетісу облысы',
    ],
  },
  {
    code: 'KAR',
    name: 'Karaganda Region',
    kind: 'region',
    aliases: [
      'karaganda',
      'karagandy',
      'qaraghandy',
      'karagandinskaya',
      'караганда',
      'карагандинская область',
      'қарағанды облысы',
    ],
  },
  {
    code: 'KUS',
    name: 'Kostanay Region',
    kind: 'region',
    aliases: [
      'kostanay',
      'kostanai',
      'qostanay',
      'kustanai',
      'kostanayskaya',
      'костанай',
      'костанайская область',
      'қостанай облысы',
    ],
  },
  {
    code: 'KZY',
    name: 'Kyzylorda Region',
    kind: 'region',
    aliases: [
      'kyzylorda',
      'qyzylorda',
      'kzyl orda',
      'kyzylordinskaya',
      'кызылорда',
      'кызылординская область',
      'қызылорда облысы',
    ],
  },
  {
    code: 'MAN',
    name: 'Mangystau Region',
    kind: 'region',
    aliases: [
      'mangystau',
      'mangistau',
      'mangghystau',
      'mangyshlak',
      'mangystauskaya',
      'мангистау',
      'мангистауская область',
      'маңғыстау облысы',
    ],
  },
  {
    code: 'PAV',
    name: 'Pavlodar Region',
    kind: 'region',
    aliases: ['pavlodar', 'pavlodarskaya', 'павлодар', 'павлодарская область', 'павлодар облысы'],
  },
  {
    code: 'SEV',
    name: 'North Kazakhstan Region',
    kind: 'region',
    aliases: [
      'north kazakhstan',
      'severo kazakhstanskaya',
      'soltustik kazakhstan',
      'soltustik qazaqstan',
      'sko',
      'северо казахстанская область',
      'ско',
      'солтүстік қазақстан облысы',
    ],
  },
  {
    code: 'YUZ',
    name: 'Turkistan Region',
    kind: 'region',
    aliases: [
      'turkistan',
      'turkestan',
      'turkistanskaya',
      'south kazakhstan',
      'yuzhno kazakhstanskaya',
      'туркестан',
      'туркестанская область',
      'түркістан облысы',
    ],
  },
  {
    code: 'ULT',
    name: 'Ulytau Region',
    kind: 'region',
    aliases: ['ulytau', 'ulytauskaya', 'улытау', 'улытауская область', 'ұлытау облысы'],
  },
  {
    code: 'ZAP',
    name: 'West Kazakhstan Region',
    kind: 'region',
    aliases: [
      'west kazakhstan',
      'zapadno kazakhstanskaya',
      'batys kazakhstan',
      'batys qazaqstan',
      'zko',
      'западно казахстанская область',
      'зко',
      'батыс қазақстан облысы',
    ],
  },
];

export const REGION_CODES: readonly string[] = KZ_REGIONS.map((region) => region.code);

const CITY_WORDS = ['city', 'qalasy', 'kalasy', 'город', 'қаласы'];
const REGION_WORDS = ['region', 'oblast', 'oblysy', 'province', 'область', 'облысы'];

function normalise(input: string): string {
  return input
    .trim()
    .toLowerCase()
    .replace(/[\s_.\-–]+/g, ' ')
    .trim();
}

const byCode = new Map(KZ_REGIONS.map((region) => [region.code, region]));
const byAlias = new Map<string, RegionEntry>();
for (const region of KZ_REGIONS) {
  for (const alias of [region.code.toLowerCase(), normalise(region.name), ...region.aliases.map(normalise)]) {
    const taken = byAlias.get(alias);
    // An alias naming two regions would silently scope someone to the wrong one.
    if (taken && taken !== region)
      throw new Error(`region alias "${alias}" names ${taken.code} and ${region.code}`);
    byAlias.set(alias, region);
  }
}

/** Whether `value` is the code of one of the regions of Kazakhstan (see {@link isWellFormedRegionCode}). */
export function isRegionCode(value: string): boolean {
  return byCode.has(value);
}

/**
 * The shape of a region code wherever one is carried: 2 to 10 upper-case letters and digits. The
 * shape, not the catalog: a code checked only for its shape can be compared, stored and put in a
 * comma list (the region-scope setting) safely; whether it names a region is {@link isRegionCode}.
 */
export const REGION_CODE_FORMAT = /^[A-Z0-9]{2,10}$/;

/** Whether `value` has the shape of a region code ({@link REGION_CODE_FORMAT}). */
export function isWellFormedRegionCode(value: unknown): value is string {
  return typeof value === 'string' && REGION_CODE_FORMAT.test(value);
}

/**
 * A DTO property holding a region code (or, with `each`, a list of them): `@Matches` with
 * {@link REGION_CODE_FORMAT}, so the refusal and the OpenAPI `pattern` stay what they were.
 */
export function IsWellFormedRegionCode(options?: ValidationOptions): PropertyDecorator {
  return Matches(REGION_CODE_FORMAT, options);
}

export function findRegionByCode(code: string): RegionEntry | undefined {
  return byCode.get(code);
}

/**
 * The region a person means by `input`: a code in any case (`ala`), an English, Russian or Kazakh
 * name, with or without a "region"/"city" word that agrees with what it names.
 */
export function resolveRegion(input: string): RegionEntry | undefined {
  const text = normalise(input);
  const exact = byAlias.get(text);
  if (exact) return exact;
  const words = text.split(' ');
  const last = words[words.length - 1] ?? '';
  const first = words[0] ?? '';
  const strip = (word: string, atEnd: boolean) =>
    (atEnd ? words.slice(0, -1) : words.slice(1)).join(' ') || word;
  for (const [designators, kind] of [
    [REGION_WORDS, 'region'],
    [CITY_WORDS, 'city'],
  ] as const) {
    for (const [word, atEnd] of [
      [last, true],
      [first, false],
    ] as const) {
      if (!designators.includes(word)) continue;
      const found = byAlias.get(strip(word, atEnd));
      // "Almaty region" is not the city of Almaty: a designator must agree with the kind.
      if (found && found.kind === kind) return found;
    }
  }
  return undefined;
}

/** Like {@link resolveRegion}, but throws naming the input when it names no region. */
export function regionCode(input: string): string {
  const region = resolveRegion(input);
  if (!region) throw new RangeError(`"${input}" is not a region of Kazakhstan (expected e.g. ALA or almaty)`);
  return region.code;
}
