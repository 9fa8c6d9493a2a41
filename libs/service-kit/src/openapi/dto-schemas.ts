import type { Type } from '@nestjs/common';
import { getMetadataStorage } from 'class-validator';
import type { MetadataStorage } from 'class-transformer/types/MetadataStorage';

// The storage behind @Type and @Transform; class-transformer exports it from this file only.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { defaultMetadataStorage } = require('class-transformer/cjs/storage') as {
  defaultMetadataStorage: MetadataStorage;
};

/** Where @nestjs/swagger looks for the property metadata its compiler plugin would generate. */
const METADATA_FACTORY = '_OPENAPI_METADATA_FACTORY';
/** Where `@ApiProperty()` keeps a property's options. */
const API_MODEL_PROPERTIES = 'swagger/apiModelProperties';

type PropertyDoc = Record<string, unknown>;

interface RuleMetadata {
  propertyName: string;
  type: string;
  name?: string;
  constraints?: unknown[];
  each?: boolean;
}

const PRIMITIVES = new Set<unknown>([
  String,
  Number,
  Boolean,
  Object,
  Array,
  Date,
  Promise,
  Function,
  Symbol,
  BigInt,
]);

/** Whether `type` is a class of the application (a DTO), not a built-in. */
export function isDtoClass(type: unknown): type is Type<unknown> {
  return (
    typeof type === 'function' && !PRIMITIVES.has(type) && type.prototype !== undefined && type.name !== ''
  );
}

function rulesOf(dto: Type<unknown>): RuleMetadata[] {
  return getMetadataStorage().getTargetValidationMetadatas(dto, '', true, false) as unknown as RuleMetadata[];
}

function nestedTypeOf(dto: Type<unknown>, property: string): unknown {
  const typeMetadata = defaultMetadataStorage.findTypeMetadata(dto, property);
  if (typeMetadata?.typeFunction) return typeMetadata.typeFunction();
  return Reflect.getMetadata('design:type', dto.prototype, property);
}

function hasTransform(dto: Type<unknown>, property: string): boolean {
  // 1: TransformationType.PLAIN_TO_CLASS, what the validation pipe runs.
  return defaultMetadataStorage.findTransformMetadatas(dto, property, 1).length > 0;
}

function enumTypeOf(values: unknown[]): 'string' | 'number' {
  return values.every((v) => typeof v === 'number') ? 'number' : 'string';
}

/**
 * The OpenAPI description of one property, read from its validation rules: the rules are what the
 * API accepts, so the document cannot say otherwise. Explicit `@ApiProperty` options (descriptions,
 * examples) are laid over it by @nestjs/swagger.
 */
function describeProperty(dto: Type<unknown>, property: string, rules: RuleMetadata[]): PropertyDoc {
  const doc: PropertyDoc = {};
  const designType = Reflect.getMetadata('design:type', dto.prototype, property) as unknown;
  const isArray = designType === Array || rules.some((r) => r.name === 'isArray' || r.each === true);
  const item: PropertyDoc = {};
  const on = (rule: RuleMetadata) => (isArray && rule.each ? item : doc);
  // Required when, with the property missing, its rules still run: every condition (@IsOptional,
  // @ValidateIf, @Required) holds for an object without it.
  doc['required'] = rules
    .filter((r) => r.type === 'conditionalValidation')
    .every((r) => {
      const condition = r.constraints?.[0];
      return typeof condition === 'function' && condition({}, undefined) === true;
    });
  for (const rule of rules) {
    const c = rule.constraints ?? [];
    const target = on(rule);
    switch (rule.type === 'nestedValidation' ? 'nested' : rule.name) {
      case 'nested': {
        const nested = nestedTypeOf(dto, property);
        if (isDtoClass(nested)) {
          if (isArray) item['type'] = nested;
          else doc['type'] = nested;
        }
        break;
      }
      case 'isString':
        target['type'] = String;
        break;
      case 'isInt':
        target['type'] = 'integer';
        break;
      case 'isNumber':
      case 'isLatitude':
      case 'isLongitude':
        target['type'] = Number;
        if (rule.name === 'isLatitude') Object.assign(target, { minimum: -90, maximum: 90 });
        if (rule.name === 'isLongitude') Object.assign(target, { minimum: -180, maximum: 180 });
        break;
      case 'isBoolean':
        target['type'] = Boolean;
        break;
      case 'isUuid':
        Object.assign(target, { type: String, format: 'uuid' });
        break;
      case 'isDateString':
      case 'isIso8601':
      case 'isDate':
        Object.assign(target, { type: String, format: 'date-time' });
        break;
      case 'isUrl':
        Object.assign(target, { type: String, format: 'uri' });
        break;
      case 'isEmail':
        Object.assign(target, { type: String, format: 'email' });
        break;
      case 'isIn': {
        const values = c[0] as unknown[];
        Object.assign(target, { enum: [...values], type: enumTypeOf(values) });
        break;
      }
      case 'isEnum': {
        const values = Object.values(c[0] as object).filter(
          (v, _, all) => typeof v !== 'string' || !all.includes(Number(v)),
        );
        Object.assign(target, { enum: values, type: enumTypeOf(values) });
        break;
      }
      case 'matches':
        target['type'] ??= String;
        target['pattern'] = c[0] instanceof RegExp ? c[0].source : String(c[0]);
        break;
      case 'isLength':
        target['type'] ??= String;
        if (typeof c[0] === 'number') target['minLength'] = c[0];
        if (typeof c[1] === 'number') target['maxLength'] = c[1];
        break;
      case 'minLength':
        target['minLength'] = c[0];
        break;
      case 'maxLength':
        target['maxLength'] = c[0];
        break;
      case 'min':
        target['minimum'] = c[0];
        break;
      case 'max':
        target['maximum'] = c[0];
        break;
      case 'isPositive':
        Object.assign(target, { minimum: 0, exclusiveMinimum: true });
        break;
      case 'arrayMaxSize':
        doc['maxItems'] = c[0];
        break;
      case 'arrayMinSize':
        doc['minItems'] = c[0];
        break;
      case 'arrayUnique':
        doc['uniqueItems'] = true;
        break;
      case 'isObject':
        target['type'] ??= Object;
        break;
      default:
        break;
    }
  }
  if (!('type' in doc) && !isArray && designType !== undefined && designType !== Object)
    doc['type'] = designType;
  if (isArray) {
    const itemType =
      item['type'] ?? (isDtoClass(nestedTypeOf(dto, property)) ? nestedTypeOf(dto, property) : String);
    const { type: _, ...itemRest } = item;
    doc['type'] = itemType;
    doc['isArray'] = true;
    // Array items' own constraints (an enum of each, a pattern of each) go on the items.
    if ('enum' in itemRest) doc['enum'] = itemRest['enum'];
    for (const key of ['pattern', 'minLength', 'maxLength', 'minimum', 'maximum', 'format']) {
      if (key in itemRest) doc[key] = itemRest[key];
    }
    // Lists in a query string arrive comma-separated and are split by a @Transform.
    if (hasTransform(dto, property)) Object.assign(doc, { style: 'form', explode: false });
  }
  if (doc['type'] === Date) Object.assign(doc, { type: String, format: 'date-time' });
  return doc;
}

/** Property metadata of a DTO, in the shape the compiler plugin's factory returns. */
export function describeDto(dto: Type<unknown>): Record<string, PropertyDoc> {
  const byProperty = new Map<string, RuleMetadata[]>();
  for (const rule of rulesOf(dto)) {
    if (rule.type === 'whitelistValidation' && rule.propertyName === undefined) continue;
    const list = byProperty.get(rule.propertyName) ?? [];
    list.push(rule);
    byProperty.set(rule.propertyName, list);
  }
  const properties: Record<string, PropertyDoc> = {};
  for (const [property, rules] of byProperty) properties[property] = describeProperty(dto, property, rules);
  return properties;
}

/**
 * Gives `dto` and every DTO nested in it the metadata factory @nestjs/swagger reads for classes
 * compiled with its plugin, built from their validation rules. Explicit decorators still win.
 * Returns the classes described.
 */
export function describeDtosFromValidation(roots: Iterable<Type<unknown>>): Set<Type<unknown>> {
  const seen = new Set<Type<unknown>>();
  const visit = (dto: Type<unknown>) => {
    if (seen.has(dto)) return;
    seen.add(dto);
    const properties = describeDto(dto);
    if (Object.keys(properties).length === 0) return;
    Object.defineProperty(dto, METADATA_FACTORY, {
      value: () => properties,
      configurable: true,
      writable: true,
    });
    // Whether a field is required is the validation's to say: an `@ApiProperty()` a subclass puts on
    // a field it makes required would otherwise inherit the base class's `required: false`.
    for (const [property, doc] of Object.entries(properties)) {
      const explicit = Reflect.getMetadata(API_MODEL_PROPERTIES, dto.prototype, property) as
        Record<string, unknown> | undefined;
      if (explicit && explicit['required'] !== doc['required']) {
        Reflect.defineMetadata(
          API_MODEL_PROPERTIES,
          { ...explicit, required: doc['required'] },
          dto.prototype,
          property,
        );
      }
    }
    for (const doc of Object.values(properties)) {
      if (isDtoClass(doc['type'])) visit(doc['type']);
    }
  };
  for (const root of roots) if (isDtoClass(root)) visit(root);
  return seen;
}
