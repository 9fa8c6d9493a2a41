import './instrument';
import { LocalIssuer } from '@safecity/security';
import { closeOnSignals, loadConfig } from '@safecity/service-kit';
import { startConsole, type ConsoleIdentity } from './bootstrap';
import { ConsoleConfig } from './config';
import { ensureWebAppBuilt } from './web/build-web';

async function main() {
  const config = loadConfig(ConsoleConfig);
  let identity: ConsoleIdentity;
  if (config.OIDC_ISSUER) {
    identity = {
      kind: 'oidc',
      issuer: config.OIDC_ISSUER,
      clientId: config.CONSOLE_OIDC_CLIENT_ID,
      clientSecret: config.CONSOLE_OIDC_CLIENT_SECRET,
      audience: config.OIDC_AUDIENCE,
      jwksUrl: config.OIDC_JWKS_URL,
      internalBaseUrl: config.OIDC_INTERNAL_URL,
    };
  } else if (config.LOCAL_ISSUER_DIR) {
    identity = { kind: 'local', issuer: await LocalIssuer.open({ directory: config.LOCAL_ISSUER_DIR }) };
  } else {
    throw new Error('no identity provider: set OIDC_ISSUER, or LOCAL_ISSUER_DIR for development');
  }
  await ensureWebAppBuilt();
  const service = await startConsole({
    http: { port: config.HTTP_PORT, host: config.HTTP_HOST },
    publicUrl: config.PUBLIC_URL,
    upstreams: {
      'camera-registry': config.CAMERA_REGISTRY_URL,
      recognition: config.RECOGNITION_URL,
      incidents: config.INCIDENTS_URL,
      prevention: config.PREVENTION_URL,
    },
    identity,
    tileUrl: config.MAP_TILE_URL,
    tileAttribution: config.MAP_TILE_ATTRIBUTION,
    idleMinutes: config.SESSION_IDLE_MINUTES,
  });
  process.stdout.write(`console: ${service.httpUrl}\n`);
  closeOnSignals(service);
}

main().catch((error) => {
  process.stderr.write(`console failed to start: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
