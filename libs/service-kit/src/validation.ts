import {
  BadRequestException,
  ValidationPipe,
  type ArgumentMetadata,
  type ValidationError,
} from '@nestjs/common';
import { ValidateIf } from 'class-validator';
import { NUL_CHARACTER_REASON, pathOfNulCharacter } from './request-input';

export interface FieldProblem {
  field: string;
  reason: string;
}

export function describeValidationErrors(errors: ValidationError[], prefix = ''): FieldProblem[] {
  return errors.flatMap((e) => {
    const field = prefix ? `${prefix}.${e.property}` : e.property;
    const own = Object.values(e.constraints ?? {}).map((reason) => ({ field, reason }));
    return [...own, ...describeValidationErrors(e.children ?? [], field)];
  });
}

/** 400 naming one field, in the shape of the validation pipe's answers. */
export function invalidField(field: string, reason: string): BadRequestException {
  return new BadRequestException({
    statusCode: 400,
    error: 'Bad Request',
    message: 'request validation failed',
    problems: [{ field, reason }],
  });
}

/**
 * The global pipe. Before the DTO rules, every string and key of a body, query or path parameter
 * (typed or not, nested or not) is checked for text the database cannot store.
 */
class EdgeValidationPipe extends ValidationPipe {
  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    if (metadata.type !== 'custom') {
      const field = pathOfNulCharacter(value, metadata.data ?? '');
      if (field !== undefined) throw invalidField(field === '' ? metadata.type : field, NUL_CHARACTER_REASON);
    }
    return super.transform(value, metadata);
  }
}

/**
 * Request bodies and queries are validated at the edge: unknown fields are refused rather than
 * silently dropped (no mass assignment), and every problem names its field.
 */
export function createValidationPipe(): ValidationPipe {
  return new EdgeValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    transformOptions: { enableImplicitConversion: false },
    exceptionFactory: (errors) =>
      new BadRequestException({
        statusCode: 400,
        error: 'Bad Request',
        message: 'request validation failed',
        problems: describeValidationErrors(errors),
      }),
  });
}

/**
 * Makes a property a subclass redeclares required where its base class marks it `@IsOptional()`.
 * class-validator keeps a base class's rules for a property unless the subclass declares rules of
 * the same kind, so an inherited `@IsOptional()` would still skip a missing value and the handler
 * would meet `undefined` (a 500). This condition, always true, takes the place of the inherited one.
 */
export function Required(): PropertyDecorator {
  return ValidateIf(() => true);
}
