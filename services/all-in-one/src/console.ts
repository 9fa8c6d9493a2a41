import { startConsole, type RunningConsole } from '@safecity/console';
import type { AllInOneConfig } from './config';
import type { RunningPlatform } from './platform';

/** The operations console in front of the embedded platform, signing people in at the local issuer. */
export function startEmbeddedConsole(
  platform: RunningPlatform,
  config: AllInOneConfig,
): Promise<RunningConsole> {
  const [cameraRegistry, recognition, incidents, prevention] = platform.services;
  return startConsole({
    http: { port: config.CONSOLE_HTTP_PORT, host: config.HTTP_HOST },
    publicUrl: config.CONSOLE_PUBLIC_URL,
    upstreams: {
      'camera-registry': cameraRegistry!.httpUrl,
      recognition: recognition!.httpUrl,
      incidents: incidents!.httpUrl,
      prevention: prevention!.httpUrl,
    },
    identity: { kind: 'local', issuer: platform.issuer },
    tileUrl: config.MAP_TILE_URL,
    tileAttribution: config.MAP_TILE_ATTRIBUTION,
  });
}
