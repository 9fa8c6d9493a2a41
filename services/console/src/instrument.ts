// Imported first by main.ts: the OpenTelemetry SDK must patch http before anything else loads it.
import { startTracing } from '@safecity/observability/tracing';

startTracing({ serviceName: 'console' });
