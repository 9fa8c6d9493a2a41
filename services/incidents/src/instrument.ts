// Imported first by main.ts: the OpenTelemetry SDK must patch http, grpc, pg and kafkajs before
// anything else loads them.
import { startTracing } from '@safecity/observability/tracing';

startTracing({ serviceName: 'incidents' });
