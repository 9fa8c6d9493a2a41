import './instrument';
import { loadConfig } from '@safecity/service-kit';
import { AllInOneConfig } from './config';
import { seedDemoHotlist, startDemoDetections } from './demo-activity';
import { seedDemoInventory } from './demo-inventory';
import { startPlatform } from './platform';
import { tokenCommand } from './token-command';

async function main() {
  // Four services log into one terminal; keep it to what needs attention unless asked otherwise.
  process.env.LOG_LEVEL ??= 'warn';
  const config = loadConfig(AllInOneConfig);
  const platform = await startPlatform(config);
  const [cameraRegistry, recognition] = platform.services;
  let seeded = 0;
  let hotlisted = 0;
  if (config.SEED_DEMO) {
    seeded = await seedDemoInventory(cameraRegistry.httpUrl, platform.issuer);
    hotlisted = await seedDemoHotlist(recognition.httpUrl, platform.issuer);
  }
  const simulator =
    config.DEMO_DETECTIONS_PER_SECOND > 0
      ? await startDemoDetections(
          cameraRegistry,
          recognition,
          platform.issuer,
          config.DEMO_DETECTIONS_PER_SECOND,
        )
      : null;

  const lines = [
    'Safe City platform (embedded default) is up.',
    `  database        ${platform.databaseUrl.replace(/\/\/[^@]+@/, '//***@')}`,
    '  bus             in-process (set KAFKA_BROKERS and run the services separately for Kafka)',
    ...platform.services.map(
      (s) =>
        `  ${s.serviceName.padEnd(15)} ${s.httpUrl}  (OpenAPI ${s.httpUrl}/docs, health ${s.httpUrl}/health/ready, metrics ${s.httpUrl}/metrics)`,
    ),
    ...Object.entries(platform.grpc).map(([name, url]) => `  ${`${name} gRPC`.padEnd(15)} ${url}`),
    seeded ? `  demo data       ${seeded} cameras registered` : '  demo data       already present',
    hotlisted ? `  demo hotlist    ${hotlisted} plates` : '',
    simulator
      ? `  simulator       ${config.DEMO_DETECTIONS_PER_SECOND} detections/s from the demo cameras (DEMO_DETECTIONS_PER_SECOND=0 stops it)`
      : '',
    `  try             TOKEN=$(${tokenCommand(config.DATA_DIR)} -- --role operator --region almaty)`,
    `                  curl -H "Authorization: Bearer $TOKEN" '${cameraRegistry.httpUrl}/cameras?limit=5'`,
    `                  curl -H "Authorization: Bearer $TOKEN" ${recognition.httpUrl}/camera-directory/<camera id>`,
    `                  curl -N -H "Authorization: Bearer $TOKEN" ${platform.services[2].httpUrl}/incidents/stream`,
  ].filter(Boolean);
  process.stdout.write(`${lines.join('\n')}\n`);

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    process.stdout.write(`${signal}: stopping\n`);
    await simulator?.stop();
    await platform.stop();
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
}

main().catch((error) => {
  process.stderr.write(`platform failed to start: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
