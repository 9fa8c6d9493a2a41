import { BadRequestException, createParamDecorator, type ExecutionContext } from '@nestjs/common';

/**
 * Header naming why a person reads personal data; it goes into the audit record. A header and not
 * a query parameter: URLs end up in access logs, proxies and browser history, free text about a
 * person must not.
 */
export const PURPOSE_HEADER = 'x-purpose';

const MAX_PURPOSE = 300;

const invalid = (reason: string) =>
  new BadRequestException({
    statusCode: 400,
    message: 'request validation failed',
    problems: [{ field: PURPOSE_HEADER, reason }],
  });

/**
 * The stated purpose, or undefined when none was given. Header values are Latin-1 on the wire, so
 * a purpose in Kazakh or Russian is sent percent-encoded UTF-8 (`encodeURIComponent`); plain
 * ASCII text without `%` passes unchanged.
 */
export function purposeFrom(raw: string | string[] | undefined): string | undefined {
  const value = Array.isArray(raw) ? raw[0] : raw;
  if (value === undefined) return undefined;
  let text: string;
  try {
    text = decodeURIComponent(value).trim();
  } catch {
    throw invalid('must be percent-encoded UTF-8');
  }
  if (text.length > MAX_PURPOSE) throw invalid(`must be at most ${MAX_PURPOSE} characters`);
  return text === '' ? undefined : text;
}

/** The purpose the caller states in `X-Purpose` (see purposeFrom). */
export const Purpose = createParamDecorator((_: unknown, context: ExecutionContext) =>
  purposeFrom(
    context.switchToHttp().getRequest<{ headers: Record<string, string | string[] | undefined> }>().headers[
      PURPOSE_HEADER
    ],
  ),
);
