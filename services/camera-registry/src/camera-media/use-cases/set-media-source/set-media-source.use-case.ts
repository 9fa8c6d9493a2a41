import { Inject, Injectable } from '@nestjs/common';
import {
  MediaCredentialsSealer,
  RegionAccess,
  RegionScope,
  UseCase,
  UseCaseHandler,
} from '@safecity/security';
import { UnprocessableFieldException } from '@safecity/service-kit';
import { CAMERA_REGISTRY_POLICIES as P } from '../../../camera-registry.policies';
import {
  CameraMediaSources,
  MEDIA_CREDENTIALS_SEALER,
  toView,
  type CameraMediaSourceView,
} from '../../camera-media-sources';
import { CameraMediaRepository } from '../../camera-media.repository';
import type { SetMediaSource } from './set-media-source.command';

/** Where the platform's analytics read a camera, credentials sealed; audited and published. */
@Injectable()
export class SetMediaSourceUseCase extends UseCaseHandler<SetMediaSource, CameraMediaSourceView> {
  constructor(
    private readonly access: RegionAccess,
    private readonly media: CameraMediaSources,
    private readonly sources: CameraMediaRepository,
    @Inject(MEDIA_CREDENTIALS_SEALER) private readonly sealer: MediaCredentialsSealer,
  ) {
    super();
  }

  @UseCase(P.keepMediaSources)
  async execute({ actor, cameraId, source: dto }: SetMediaSource): Promise<CameraMediaSourceView> {
    if (!dto.rtspUrl && !dto.onvif && !dto.snapshotUrl) {
      throw new UnprocessableFieldException('rtspUrl', 'a media source needs rtspUrl, onvif or snapshotUrl');
    }
    const scope = RegionScope.of(actor);
    return this.access.run(scope, async (m) => {
      const camera = await this.media.camera(m, scope, cameraId);
      if (camera.lifecycle === 'decommissioned') {
        throw new UnprocessableFieldException('cameraId', 'a decommissioned camera is not read');
      }
      const current = await this.sources.lock(m, cameraId, this.media.regionsOf(scope));
      const sealedCredentials =
        dto.credentials === undefined
          ? current && !current.removed
            ? current.sealedCredentials
            : null
          : dto.credentials === null
            ? null
            : this.sealer.seal(dto.credentials, cameraId);
      const saved = await this.sources.save(m, {
        cameraId,
        regionCode: camera.regionCode,
        rtspUrl: dto.rtspUrl ?? null,
        onvifMediaUrl: dto.onvif?.mediaUrl ?? null,
        onvifProfileToken: dto.onvif?.profileToken ?? null,
        snapshotUrl: dto.snapshotUrl ?? null,
        sealedCredentials,
        frameRate: dto.frameRate ?? 1,
        features: [...new Set(dto.features)],
        zones: (dto.zones ?? []).map((z) => ({
          name: z.name,
          polygon: z.polygon.map((p) => ({ x: p.x, y: p.y })),
          loiterSeconds: z.loiterSeconds ?? 0,
          intrusion: z.intrusion ?? false,
          crowdThreshold: z.crowdThreshold ?? 0,
          countVehicles: z.countVehicles ?? false,
        })),
        version: (current?.version ?? 0) + 1,
        removed: false,
      });
      await this.media.record(m, camera, saved, actor, 'set');
      return toView(saved);
    });
  }
}
