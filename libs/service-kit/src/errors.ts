import { HttpException, HttpStatus } from '@nestjs/common';

/** 422: the request is well-formed but refers to something that does not fit (unknown region…). */
export class UnprocessableFieldException extends HttpException {
  constructor(field: string, reason: string) {
    super(
      { statusCode: 422, error: 'Unprocessable Entity', message: reason, problems: [{ field, reason }] },
      HttpStatus.UNPROCESSABLE_ENTITY,
    );
  }
}

export class ConflictFieldException extends HttpException {
  constructor(field: string, reason: string) {
    super(
      { statusCode: 409, error: 'Conflict', message: reason, problems: [{ field, reason }] },
      HttpStatus.CONFLICT,
    );
  }
}
