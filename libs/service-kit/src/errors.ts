import { ConflictError, InvalidError } from './domain-errors/domain-error';

/**
 * 422: the request is well-formed but refers to something that does not fit (unknown region…).
 * The domain's {@link InvalidError} under the name the services have thrown since before it.
 */
export class UnprocessableFieldException extends InvalidError {
  constructor(field: string, reason: string) {
    super({ field, reason });
  }
}

/** 409 naming the field: the domain's {@link ConflictError} under its earlier name. */
export class ConflictFieldException extends ConflictError {
  constructor(field: string, reason: string) {
    super(reason, { field });
  }
}
