import { Injectable, type PipeTransform, type Type } from '@nestjs/common';
import {
  describeValidationErrors,
  InvalidError,
  NUL_CHARACTER_REASON,
  pathOfNulCharacter,
} from '@safecity/service-kit';
import { plainToInstance } from 'class-transformer';
import { validate } from 'class-validator';

/**
 * Validates a body against a DTO and answers 422 with every field problem: the citizen channel's
 * contract says a report that is well-formed JSON but misses fields or carries oversize media
 * references is unprocessable. (The body is declared `unknown`, so the global 400 pipe passes it.)
 */
@Injectable()
export class UnprocessableBodyPipe<T extends object> implements PipeTransform<unknown, Promise<T>> {
  constructor(private readonly dto: Type<T>) {}

  async transform(value: unknown): Promise<T> {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      throw unprocessable([{ field: 'body', reason: 'body must be a JSON object' }]);
    }
    // Reports from events and gRPC come here without the global pipe's check.
    const withNul = pathOfNulCharacter(value);
    if (withNul !== undefined) throw unprocessable([{ field: withNul, reason: NUL_CHARACTER_REASON }]);
    const instance = plainToInstance(this.dto, value);
    const errors = await validate(instance, { whitelist: true, forbidNonWhitelisted: true });
    if (errors.length > 0) throw unprocessable(describeValidationErrors(errors));
    return instance;
  }
}

function unprocessable(problems: { field: string; reason: string }[]) {
  // The message names the problems: a dead-lettered report's record says what was wrong with it.
  const summary = problems.map((p) => `${p.field}: ${p.reason}`).join('; ');
  return new InvalidError(problems, { message: `report is not processable: ${summary}` });
}
