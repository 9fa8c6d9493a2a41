import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureWebAppBuilt, type RunningConsole } from '@safecity/console';
import { OperationsCenterSync } from '@safecity/incidents';
import { freeLoopbackPort } from '@safecity/persistence';
import { ingestScriptedDetections, SIMULATED_FACE_MODEL } from '@safecity/recognition';
import { loadConfig } from '@safecity/service-kit';
import { createTestDatabase } from '@safecity/testing';
import { AllInOneConfig } from '../src/config';
import { startEmbeddedConsole } from '../src/console';
import { seedDemoHotlist } from '../src/demo-activity';
import { seedDemoInventory } from '../src/demo-inventory';
import { demoFaceTemplate, seedDemoOperations, type DemoUrls } from '../src/demo-operations';
import { faceCrop, plateSnapshot } from '../src/demo-pictures';
import { startPlatform, type RunningPlatform } from '../src/platform';

export interface TestCamera {
  id: string;
  externalId: string;
  videoSystemId: string;
  regionCode: string;
}

/**
 * The embedded platform with the console in front of it, for the browser tests: a database of its
 * own, every port chosen free, the demo's hotlist, operations centers, units, SOPs and face
 * watchlist, and a few cameras per region — no timed scenario: each test raises what it needs.
 */
export class ConsolePlatform {
  private counter = 0;
  private constructor(
    readonly platform: RunningPlatform,
    readonly console: RunningConsole,
    readonly urls: DemoUrls,
    readonly cameras: Record<'ALA' | 'AST', TestCamera[]>,
    readonly systems: Record<'ALA' | 'AST', string>,
    private readonly dropDatabase: () => Promise<void>,
  ) {}

  /**
   * `database`: where to create the platform's schemas (default: a database on the tests'
   * PostgreSQL); `demoInventory`: the demo's 310 cameras too (screenshots, benchmark).
   */
  static async start(
    name: string,
    options: { database?: { url: string; drop(): Promise<void> }; demoInventory?: boolean } = {},
  ): Promise<ConsolePlatform> {
    const db = options.database ?? (await createTestDatabase(name));
    const built = ensureWebAppBuilt();
    const config = loadConfig(AllInOneConfig, {
      DATA_DIR: mkdtempSync(join(tmpdir(), 'safecity-console-')),
      DATABASE_URL: db.url,
      CAMERA_REGISTRY_HTTP_PORT: '0',
      RECOGNITION_HTTP_PORT: '0',
      INCIDENTS_HTTP_PORT: '0',
      PREVENTION_HTTP_PORT: '0',
      CONSOLE_HTTP_PORT: String(await freeLoopbackPort()),
      CAMERA_REGISTRY_GRPC_PORT: String(await freeLoopbackPort()),
      RECOGNITION_GRPC_PORT: String(await freeLoopbackPort()),
      INCIDENTS_GRPC_PORT: String(await freeLoopbackPort()),
      PREVENTION_GRPC_PORT: String(await freeLoopbackPort()),
    });
    const platform = await startPlatform(config);
    try {
      const [cameraRegistry, recognition, incidents, prevention] = platform.services;
      const urls: DemoUrls = {
        cameraRegistry: cameraRegistry!.httpUrl,
        recognition: recognition!.httpUrl,
        incidents: incidents!.httpUrl,
        prevention: prevention!.httpUrl,
      };
      const admin = await platform.issuer.issue({ subject: 'test-admin', roles: ['admin'], regions: 'all' });
      const post = async (path: string, body: unknown) => {
        const response = await fetch(`${urls.cameraRegistry}${path}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${admin}` },
          body: JSON.stringify(body),
        });
        if (!response.ok) throw new Error(`${path}: ${response.status} ${await response.text()}`);
        return response.json() as Promise<any>;
      };
      // First: the demo's inventory is seeded only into a registry without video systems.
      if (options.demoInventory) await seedDemoInventory(urls.cameraRegistry, platform.issuer);
      const cameras: Record<'ALA' | 'AST', TestCamera[]> = { ALA: [], AST: [] };
      const systems = {} as Record<'ALA' | 'AST', string>;
      for (const [region, centre] of [
        ['ALA', { lat: 43.2389, lon: 76.8897 }],
        ['AST', { lat: 51.1282, lon: 71.4307 }],
      ] as const) {
        const system = await post('/video-systems', {
          regionCode: region,
          name: `${region} test video system`,
          vendor: 'milestone',
          ingestionMethod: 'canonical-push',
        });
        systems[region] = system.id;
        for (let i = 1; i <= 4; i++) {
          const camera = await post('/cameras', {
            videoSystemId: system.id,
            externalId: `cam-${i}`,
            name: `${region} test camera ${i}`,
            location: { lat: centre.lat + i * 0.004, lon: centre.lon + i * 0.006 },
            address: `Satpaev St ${10 * i}`,
            capabilities: ['plates', 'faces', 'behaviour'],
          });
          cameras[region].push({
            id: camera.id,
            externalId: camera.externalId,
            videoSystemId: system.id,
            regionCode: region,
          });
        }
      }
      await seedDemoHotlist(urls.recognition, platform.issuer);
      await seedDemoOperations(urls, platform.issuer);
      await incidents!.app.get(OperationsCenterSync).refresh();
      await built;
      const running = await startEmbeddedConsole(platform, config);
      return new ConsolePlatform(platform, running, urls, cameras, systems, () => db.drop());
    } catch (error) {
      await platform.stop();
      await db.drop();
      throw error;
    }
  }

  get consoleUrl(): string {
    return this.console.httpUrl;
  }

  private get recognition() {
    return this.platform.services[1]!;
  }

  /** A hotlisted plate read by a camera, with its snapshot, through recognition's pipeline. */
  async plateHit(region: 'ALA' | 'AST', read: string, camera = 0) {
    const cam = this.cameras[region][camera]!;
    await ingestScriptedDetections(
      this.recognition.app,
      { videoSystemId: cam.videoSystemId, regionCode: region },
      [
        {
          detection: {
            vendorEventId: `test-${Date.now()}-${++this.counter}`,
            cameraExternalId: cam.externalId,
            observedAt: new Date().toISOString(),
            kind: 'plate',
            plate: {
              text: read,
              country: 'KZ',
              confidence: 0.95,
              vehicle: { type: 'car', color: 'white', make: 'Toyota' },
            },
          },
          pictures: [{ contentType: 'image/png', bytes: plateSnapshot(read, 'white') }],
        },
      ],
    );
  }

  /** The face of the demo watchlist's first subject, seen by a camera in Almaty. */
  async faceSeen(subject = 0) {
    const cam = this.cameras.ALA[1]!;
    const vector = Float32Array.from(demoFaceTemplate(subject, 0.05, ++this.counter));
    await ingestScriptedDetections(
      this.recognition.app,
      { videoSystemId: cam.videoSystemId, regionCode: 'ALA' },
      [
        {
          detection: {
            vendorEventId: `test-face-${Date.now()}-${this.counter}`,
            cameraExternalId: cam.externalId,
            observedAt: new Date().toISOString(),
            kind: 'face',
            face: {
              template: Buffer.from(vector.buffer).toString('base64'),
              templateModel: SIMULATED_FACE_MODEL,
              quality: 0.9,
              confidence: 0.95,
            },
          },
          pictures: [{ contentType: 'image/png', bytes: faceCrop() }],
        },
      ],
    );
  }

  /** An incident an operator opens over the API (quick to make many of). */
  async openIncident(
    region: 'ALA' | 'AST',
    title: string,
    priority = 'medium',
  ): Promise<{ id: string; number: string }> {
    const token = await this.platform.issuer.issue({
      subject: 'test-operator',
      roles: ['operator'],
      regions: [region],
    });
    const cam = this.cameras[region][0]!;
    const response = await fetch(`${this.urls.incidents}/incidents`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({
        category: 'public-order',
        priority,
        regionCode: region,
        title,
        location: region === 'ALA' ? { lat: 43.25, lon: 76.9 } : { lat: 51.13, lon: 71.43 },
        cameraId: cam.id,
      }),
    });
    if (!response.ok) throw new Error(`open incident: ${response.status} ${await response.text()}`);
    return response.json() as Promise<{ id: string; number: string }>;
  }

  /** Closes every connection the console holds, the live streams' included, as a network failure would. */
  dropConsoleConnections() {
    (this.console.app.getHttpServer() as import('node:http').Server).closeAllConnections();
  }

  async stop() {
    await this.console.close();
    await this.platform.stop();
    await this.dropDatabase();
  }
}
