import './instrument';
import { ensureWebAppBuilt } from '@safecity/console';
import { OperationsCenterSync } from '@safecity/incidents';
import { loadConfig } from '@safecity/service-kit';
import { AllInOneConfig } from './config';
import { startEmbeddedConsole } from './console';
import { seedDemoHotlist, startDemoDetections } from './demo-activity';
import { seedDemoInventory } from './demo-inventory';
import { seedDemoOperations, type DemoUrls } from './demo-operations';
import { startDemoScenario } from './demo-scenario';
import { startPlatform } from './platform';
import { tokenCommand } from './token-command';

async function main() {
  // Four services log into one terminal; keep it to what needs attention unless asked otherwise.
  process.env.LOG_LEVEL ??= 'warn';
  const config = loadConfig(AllInOneConfig);
  // The console's web application builds (only when its sources changed) while the services start.
  const webApp = ensureWebAppBuilt();
  webApp.catch(() => undefined);
  const platform = await startPlatform(config);
  const [cameraRegistry, recognition, incidents, prevention] = platform.services;
  const urls: DemoUrls = {
    cameraRegistry: cameraRegistry.httpUrl,
    recognition: recognition.httpUrl,
    incidents: incidents.httpUrl,
    prevention: prevention.httpUrl,
  };
  let seeded = 0;
  let hotlisted = 0;
  let operations = null;
  if (config.SEED_DEMO) {
    seeded = await seedDemoInventory(cameraRegistry.httpUrl, platform.issuer);
    hotlisted = await seedDemoHotlist(recognition.httpUrl, platform.issuer);
    operations = await seedDemoOperations(urls, platform.issuer);
    // Incidents routes to the operations centers it knows; it learns new ones now, not at its next refresh.
    await incidents.app.get(OperationsCenterSync).refresh();
  }
  const built = await webApp;
  const consoleApp = await startEmbeddedConsole(platform, config);
  // The scenario plays on the demo inventory: without the demo (SEED_DEMO=false) there is none.
  const scenario =
    config.DEMO_SCENARIO && config.SEED_DEMO
      ? await startDemoScenario({
          urls,
          recognition,
          issuer: platform.issuer,
          intervalSeconds: config.DEMO_SCENARIO_INTERVAL_SECONDS,
          onError: (error) => process.stderr.write(`demo scenario: ${String(error)}\n`),
        }).catch((error: unknown) => {
          // A database of someone's own inventory may lack the demo's cameras; the platform runs on.
          process.stderr.write(`demo scenario not started: ${String(error)}\n`);
          return null;
        })
      : null;
  const simulator =
    config.DEMO_DETECTIONS_PER_SECOND > 0
      ? await startDemoDetections(
          cameraRegistry,
          recognition,
          platform.issuer,
          config.DEMO_DETECTIONS_PER_SECOND,
          // With the scripted stream, hotlisted plates come from it, at its pace.
          scenario ? 0 : undefined,
        )
      : null;

  const lines = [
    'Safe City platform (embedded default) is up.',
    `  console         ${consoleApp.httpUrl}  (sign in as a demo user; web application ${built.built ? `built in ${built.ms} ms` : 'current'})`,
    `  database        ${platform.databaseUrl.replace(/\/\/[^@]+@/, '//***@')}`,
    '  bus             in-process (set KAFKA_BROKERS and run the services separately for Kafka)',
    ...platform.services.map(
      (s) =>
        `  ${s.serviceName.padEnd(15)} ${s.httpUrl}  (OpenAPI ${s.httpUrl}/docs, health ${s.httpUrl}/health/ready, metrics ${s.httpUrl}/metrics)`,
    ),
    ...Object.entries(platform.grpc).map(([name, url]) => `  ${`${name} gRPC`.padEnd(15)} ${url}`),
    seeded ? `  demo data       ${seeded} cameras registered` : '  demo data       already present',
    hotlisted ? `  demo hotlist    ${hotlisted} plates` : '',
    operations?.centers
      ? `  demo operations ${operations.centers} operations centers, ${operations.units} units, ${operations.faceSubjects} face watchlist subjects`
      : '',
    scenario
      ? `  demo scenario   an incident-raising event every ${config.DEMO_SCENARIO_INTERVAL_SECONDS} s (DEMO_SCENARIO=false stops it)`
      : '',
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
    await scenario?.stop();
    await simulator?.stop();
    await consoleApp.close();
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
