import type { Problems } from './ingest-problems';

/** Typed reads of untrusted JSON-like values; every miss is a problem naming the field. */
export class FieldReader {
  constructor(private readonly problems: Problems) {}

  object(value: unknown, field: string, required = true): Record<string, unknown> | undefined {
    if (value === undefined || value === null) {
      if (required) this.problems.add(field, 'is required');
      return undefined;
    }
    if (typeof value !== 'object' || Array.isArray(value)) {
      this.problems.add(field, 'must be an object');
      return undefined;
    }
    return value as Record<string, unknown>;
  }

  string(
    value: unknown,
    field: string,
    options: { required?: boolean; max?: number } = {},
  ): string | undefined {
    const { required = true, max = 200 } = options;
    if (value === undefined || value === null || value === '') {
      if (required) this.problems.add(field, 'is required');
      return undefined;
    }
    if (typeof value !== 'string') {
      this.problems.add(field, 'must be a string');
      return undefined;
    }
    if (value.length > max) {
      this.problems.add(field, `must be at most ${max} characters`);
      return undefined;
    }

    if (/[\u0000-\u001f\u007f]/.test(value)) {
      this.problems.add(field, 'must not contain control characters');
      return undefined;
    }
    return value;
  }

  number(
    value: unknown,
    field: string,
    options: { required?: boolean; min?: number; max?: number; integer?: boolean } = {},
  ): number | undefined {
    const { required = false, min = -Infinity, max = Infinity, integer = false } = options;
    if (value === undefined || value === null) {
      if (required) this.problems.add(field, 'is required');
      return undefined;
    }
    if (typeof value !== 'number' || !Number.isFinite(value)) {
      this.problems.add(field, 'must be a number');
      return undefined;
    }
    if (integer && !Number.isInteger(value)) {
      this.problems.add(field, 'must be an integer');
      return undefined;
    }
    if (value < min || value > max) {
      this.problems.add(field, `must be between ${min} and ${max}`);
      return undefined;
    }
    return value;
  }

  timestamp(value: unknown, field: string, required = true): Date | undefined {
    const text = this.string(value, field, { required, max: 40 });
    if (text === undefined) return undefined;
    // RFC 3339 with an explicit offset: a time without a zone would be read in the server's.
    if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/i.test(text)) {
      this.problems.add(field, 'must be an RFC 3339 timestamp with a time zone');
      return undefined;
    }
    const date = new Date(text);
    if (Number.isNaN(date.getTime())) {
      this.problems.add(field, 'is not a valid time');
      return undefined;
    }
    return date;
  }

  oneOf<T>(value: unknown, field: string, vocabulary: Record<string, T>, required = true): T | undefined {
    const text = this.string(value, field, { required, max: 40 });
    if (text === undefined) return undefined;
    if (!Object.prototype.hasOwnProperty.call(vocabulary, text)) {
      this.problems.add(field, `must be one of ${Object.keys(vocabulary).join(', ')}`);
      return undefined;
    }
    return vocabulary[text];
  }

  unknownKeys(value: Record<string, unknown>, allowed: readonly string[], field: string): void {
    for (const key of Object.keys(value)) {
      if (!allowed.includes(key)) this.problems.add(field ? `${field}.${key}` : key, 'is not a known field');
    }
  }
}
