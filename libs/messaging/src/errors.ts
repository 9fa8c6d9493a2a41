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

export function describeError(error: unknown): string {
  if (error instanceof Error) return `${error.name}: ${error.message}`.slice(0, 2000);
  if (typeof error === 'object' && error !== null) {
    try {
      return JSON.stringify(error).slice(0, 2000);
    } catch {
      return String(error);
    }
  }
  return String(error);
}
