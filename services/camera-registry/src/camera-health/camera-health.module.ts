import { Module, type DynamicModule } from '@nestjs/common';
import { RegionAccess } from '@safecity/security';
import { CameraHealthController } from './camera-health.controller';
import { CameraHealthRepository } from './camera-health.repository';
import { HealthLedger } from './health-ledger';
import { CAMERA_HEALTH_USE_CASES } from './use-cases';
import { CameraHeartbeatsConsumer } from './camera-heartbeats.consumer';
import { CameraHeartbeatsController } from './camera-heartbeats.controller';
import {
  CAMERA_HEALTH_SETTINGS,
  resolveCameraHealthSettings,
  type CameraHealthOptions,
} from './health-settings';
import { OfflineDetector } from './offline-detector';
import { StatusTransitions } from './status-transitions';

/**
 * Camera and video-system health: heartbeats over REST and Kafka, the offline detector with
 * flapping damping, `safecity.camera-status.v1` events and uptime. Needs the service's data
 * source and the (global) messaging module.
 */
@Module({})
export class CameraHealthModule {
  static forRoot(options: CameraHealthOptions = {}): DynamicModule {
    return {
      module: CameraHealthModule,
      controllers: [CameraHeartbeatsController, CameraHealthController, CameraHeartbeatsConsumer],
      providers: [
        { provide: CAMERA_HEALTH_SETTINGS, useValue: resolveCameraHealthSettings(options) },
        // Health filters by region itself (regionsOf); RegionAccess gives it the scoped unit of work.
        RegionAccess,
        CameraHealthRepository,
        StatusTransitions,
        HealthLedger,
        ...CAMERA_HEALTH_USE_CASES,
        OfflineDetector,
      ],
      exports: [OfflineDetector],
    };
  }
}
