// Imported first by main.ts: the OpenTelemetry SDK must patch http, pg and kafkajs before
// anything else loads them.
import { startTracing } from '@safecity/observability/tracing';

startTracing({ serviceName: 'video-analytics' });
