import { HttpException, HttpStatus } from '@nestjs/common';
import type { FieldProblem } from '@safecity/service-kit';

/**
 * A payload the platform cannot take: 400 when it is malformed (syntax, types, ranges), 422 when
 * it is well-formed but does not make sense (a kind that disagrees with its observation). Every
 * problem names its field. Parsers throw only this; anything else is a bug.
 */
export class IngestPayloadError extends Error {
  constructor(
    readonly problems: FieldProblem[],
    readonly status: 400 | 413 | 415 | 422 = 400,
  ) {
    super(problems.map((p) => `${p.field}: ${p.reason}`).join('; '));
    this.name = 'IngestPayloadError';
  }

  static of(field: string, reason: string, status: 400 | 413 | 415 | 422 = 400) {
    return new IngestPayloadError([{ field, reason }], status);
  }

  toHttp(): HttpException {
    const error = {
      400: 'Bad Request',
      413: 'Payload Too Large',
      415: 'Unsupported Media Type',
      422: 'Unprocessable Entity',
    }[this.status];
    return new HttpException(
      {
        statusCode: this.status,
        error,
        message: this.problems[0]?.reason ?? 'invalid payload',
        problems: this.problems.slice(0, 100),
      },
      this.status as HttpStatus,
    );
  }
}

/** Collects problems while a parser walks a payload, up to a bound. */
export class Problems {
  readonly list: FieldProblem[] = [];
  private malformed = false;

  /** A malformed field: wrong type, out of range, missing. */
  add(field: string, reason: string): void {
    this.malformed = true;
    this.push(field, reason);
  }

  /** A semantic problem: the request is answered 422 if nothing in it is malformed. */
  addSemantic(field: string, reason: string): void {
    this.push(field, reason);
  }

  private push(field: string, reason: string) {
    if (this.list.length < 100) this.list.push({ field, reason });
  }

  get empty(): boolean {
    return this.list.length === 0;
  }

  throwIfAny(): void {
    if (this.empty) return;
    throw new IngestPayloadError(this.list, this.malformed ? 400 : 422);
  }
}
