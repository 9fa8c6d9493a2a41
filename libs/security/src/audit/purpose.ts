import { BadRequestException, createParamDecorator, type ExecutionContext } from '@nestjs/common';
import { ApiHeader } from '@nestjs/swagger';
import { invalidArgument } from '@safecity/service-kit';
import { ValidateBy, type ValidationOptions } from 'class-validator';

/**
 * Header naming why a person reads or changes personal data; it goes into the audit record. A
 * header and not a query parameter: URLs end up in access logs, proxies and browser history, free
 * text about a person must not.
 */
export const PURPOSE_HEADER = 'x-purpose';

/** Longest purpose kept, in characters (after decoding). */
export const MAX_PURPOSE_LENGTH = 300;

/** Longest header value read at all; a percent-encoded 300-character purpose fits easily. */
const MAX_RAW_LENGTH = 4096;

/**
 * Characters a purpose may not contain: C0 and C1 controls and DEL (CR/LF would start a fake
 * line in an audit export, ESC an ANSI sequence on an operator's terminal), the line and paragraph
 * separators, and the bidirectional controls that make text read differently from what it holds.
 */
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/u;

/** Why a stated purpose is refused, as the 400 (REST) or INVALID_ARGUMENT (gRPC) names it. */
export class InvalidPurposeError extends Error {
  constructor(readonly reason: string) {
    super(reason);
    this.name = 'InvalidPurposeError';
  }
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * HTTP header values arrive as Latin-1: each byte one character. A purpose sent as raw UTF-8
 * ("Проверка") is read back from those bytes, so raw and percent-encoded UTF-8 mean the same.
 */
function fromHeaderBytes(value: string): string {
  if (!/[\u0080-\u00ff]/.test(value)) return value;
  try {
    return utf8.decode(Buffer.from(value, 'latin1'));
  } catch {
    throw new InvalidPurposeError('must be UTF-8, raw or percent-encoded');
  }
}

/**
 * A purpose as text (a gRPC field, or a decoded header): refused with {@link InvalidPurposeError}
 * when it holds control characters or is longer than {@link MAX_PURPOSE_LENGTH} characters;
 * normalised (NFC) and trimmed; undefined when nothing but blanks was stated.
 */
export function purposeText(text: string | undefined): string | undefined {
  if (text === undefined) return undefined;
  if (CONTROL.test(text)) {
    throw new InvalidPurposeError(
      'must not contain control characters (line breaks, escapes, bidi controls)',
    );
  }
  const purpose = text.normalize('NFC').trim();
  if ([...purpose].length > MAX_PURPOSE_LENGTH) {
    throw new InvalidPurposeError(`must be at most ${MAX_PURPOSE_LENGTH} characters`);
  }
  return purpose === '' ? undefined : purpose;
}

/**
 * The purpose stated in an `X-Purpose` header: UTF-8, raw or percent-encoded as
 * `encodeURIComponent` writes it (a value containing `%` is read as percent-encoded), then checked
 * as {@link purposeText}. A refusal is a 400 naming the header.
 */
export function purposeFrom(raw: string | string[] | undefined): string | undefined {
  const value = Array.isArray(raw) ? raw[0] : raw;
  try {
    if (value === undefined) return undefined;
    if (value.length > MAX_RAW_LENGTH) {
      throw new InvalidPurposeError(`must be at most ${MAX_PURPOSE_LENGTH} characters`);
    }
    let text = fromHeaderBytes(value);
    if (text.includes('%')) {
      try {
        text = decodeURIComponent(text);
      } catch {
        throw new InvalidPurposeError('must be percent-encoded UTF-8 when it contains "%"');
      }
    }
    return purposeText(text);
  } catch (error) {
    if (!(error instanceof InvalidPurposeError)) throw error;
    throw new BadRequestException({
      statusCode: 400,
      error: 'Bad Request',
      message: 'request validation failed',
      problems: [{ field: PURPOSE_HEADER, reason: error.reason }],
    });
  }
}

/** Documents the header on every route that reads it. */
function documentPurposeHeader(target: object, key: string | symbol | undefined): void {
  const descriptor = key === undefined ? undefined : Object.getOwnPropertyDescriptor(target, key);
  if (!descriptor || key === undefined) return;
  ApiHeader({
    name: 'X-Purpose',
    required: false,
    description:
      'why personal data is read or changed; recorded in the audit log. UTF-8, raw or ' +
      `percent-encoded (a value with "%" is read as percent-encoded), at most ${MAX_PURPOSE_LENGTH} ` +
      'characters, no control characters (line breaks, escapes, bidi controls): 400 otherwise.',
  })(target, key, descriptor);
}

/**
 * The purpose the caller states in `X-Purpose`. `@Purpose()` gives undefined when none was stated;
 * `@Purpose('match review')` gives the endpoint's ordinary purpose instead.
 */
export const Purpose = createParamDecorator(
  (fallback: string | undefined, context: ExecutionContext): string | undefined => {
    const request = context
      .switchToHttp()
      .getRequest<{ headers: Record<string, string | string[] | undefined> }>();
    return purposeFrom(request.headers[PURPOSE_HEADER]) ?? fallback;
  },
  [documentPurposeHeader],
);

/** A purpose given in a gRPC request field (see {@link purposeText}); INVALID_ARGUMENT naming it. */
export function purposeOfRequest(text: string | undefined, field = 'purpose'): string | undefined {
  try {
    return purposeText(text);
  } catch (error) {
    if (error instanceof InvalidPurposeError) throw invalidArgument(field, error.reason);
    throw error;
  }
}

/** A DTO field holding a purpose: the same rules as the header and gRPC fields. */
export function IsPurpose(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isPurpose',
      validator: {
        validate: (value: unknown) => {
          if (typeof value !== 'string') return false;
          try {
            purposeText(value);
            return true;
          } catch {
            return false;
          }
        },
        defaultMessage: () =>
          `$property must be text of at most ${MAX_PURPOSE_LENGTH} characters without control characters`,
      },
    },
    options,
  );
}
