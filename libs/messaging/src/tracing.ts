import { context, propagation, SpanKind, SpanStatusCode, trace, type Context } from '@opentelemetry/api';

const tracer = trace.getTracer('safecity-messaging');

/** W3C trace context of the active span, to be stored with an outbox row and sent as headers. */
export function currentTraceHeaders(): Record<string, string> {
  const carrier: Record<string, string> = {};
  propagation.inject(context.active(), carrier);
  return carrier;
}

export function contextFromHeaders(headers: Record<string, string>): Context {
  return propagation.extract(context.active(), headers);
}

/** Runs a consumer handler inside a CONSUMER span whose parent is the producer's trace. */
export async function withConsumerSpan<T>(
  topic: string,
  headers: Record<string, string>,
  attributes: Record<string, string | number>,
  fn: () => Promise<T>,
): Promise<T> {
  const parent = contextFromHeaders(headers);
  return tracer.startActiveSpan(
    `${topic} process`,
    { kind: SpanKind.CONSUMER, attributes: { 'messaging.destination.name': topic, ...attributes } },
    parent,
    async (span) => {
      try {
        return await fn();
      } catch (error) {
        span.recordException(error as Error);
        span.setStatus({ code: SpanStatusCode.ERROR });
        throw error;
      } finally {
        span.end();
      }
    },
  );
}

/** Runs `fn` as a PRODUCER span continuing the trace carried in `headers`, and refreshes them. */
export async function withProducerSpan<T>(
  name: string,
  headers: Record<string, string>,
  fn: (headers: Record<string, string>) => Promise<T>,
): Promise<T> {
  const parent = contextFromHeaders(headers);
  return tracer.startActiveSpan(name, { kind: SpanKind.PRODUCER }, parent, async (span) => {
    try {
      const carrier = { ...headers };
      propagation.inject(context.active(), carrier);
      return await fn(carrier);
    } finally {
      span.end();
    }
  });
}
