import { BadRequestException, createParamDecorator, type ExecutionContext } from '@nestjs/common';

/** Header naming why a person reads or changes personal data; it goes into the audit record. */
export const PURPOSE_HEADER = 'x-purpose';

/**
 * The purpose the caller states in `X-Purpose`, or the given default for the endpoint's ordinary
 * use (administration of a list, review of a match).
 */
export const Purpose = createParamDecorator((fallback: string, context: ExecutionContext): string => {
  const request = context
    .switchToHttp()
    .getRequest<{ headers: Record<string, string | string[] | undefined> }>();
  const raw = request.headers[PURPOSE_HEADER];
  const value = Array.isArray(raw) ? raw[0] : raw;
  if (value === undefined || value.trim() === '') return fallback;
  if (value.length > 300) {
    throw new BadRequestException({
      statusCode: 400,
      message: 'request validation failed',
      problems: [{ field: PURPOSE_HEADER, reason: 'must be at most 300 characters' }],
    });
  }
  return value.trim();
});
