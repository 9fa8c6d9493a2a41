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
 * Where an error a handler throws says its event goes: `retry` (a dependency is down) or
 * `dead-letter` (the event can never be processed). Errors of the layers above messaging (the
 * domain errors of `@safecity/service-kit`) carry it so the event transport maps them without
 * knowing their classes.
 */
export const EVENT_DISPOSITION = Symbol.for('safecity.event-disposition');

/** The disposition an error declares, if any. */
export function eventDispositionOf(error: unknown): 'retry' | 'dead-letter' | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const disposition = (error as { [EVENT_DISPOSITION]?: unknown })[EVENT_DISPOSITION];
  return disposition === 'retry' || disposition === 'dead-letter' ? disposition : undefined;
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
