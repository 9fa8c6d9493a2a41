// The file alone: the outbox relay's worker thread loads this without the rest of observability.
import { describeLoggableError } from '@safecity/observability/error-redaction';

/**
 * Thrown for an event that can never be processed however often it is retried (malformed payload,
 * unknown type, failed validation). It goes straight to the dead-letter topic.
 */
export class NonRetriableEventError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'NonRetriableEventError';
  }
}

/**
 * The error as a log field and an `x-error` header: never the values that caused it (statement
 * parameters, the refused row; see `describeLoggableError`), since dead letters and logs outlive
 * the personal data an event carries.
 */
export function describeError(error: unknown): string {
  if (error instanceof Error) return describeLoggableError(error).slice(0, 2000);
  if (typeof error === 'object' && error !== null) {
    try {
      return JSON.stringify(error).slice(0, 2000);
    } catch {
      return String(error);
    }
  }
  return String(error);
}
