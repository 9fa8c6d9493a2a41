import { Injectable } from '@nestjs/common';
import { CameraChangeKind } from '@safecity/contracts';
import { RegionAccess, RegionScope, UseCase, UseCaseHandler } from '@safecity/security';
import { ConflictFieldException, UnprocessableFieldException } from '@safecity/service-kit';
import { CAMERA_REGISTRY_POLICIES as P } from '../../../camera-registry.policies';
import { VideoSystemsRepository } from '../../../video-systems/video-systems.repository';
import type { CameraEntity } from '../../camera.entity';
import { CameraChanges, cameraColumnsOf } from '../../camera-changes';
import { CamerasRepository } from '../../cameras.repository';
import type { RegisterCamera } from './register-camera.command';

/** A camera of a video system in the caller's regions, announced as registered. */
@Injectable()
export class RegisterCameraUseCase extends UseCaseHandler<RegisterCamera, CameraEntity> {
  constructor(
    private readonly cameras: CamerasRepository,
    private readonly systems: VideoSystemsRepository,
    private readonly changes: CameraChanges,
    private readonly access: RegionAccess,
  ) {
    super();
  }

  @UseCase(P.registerCamera)
  async execute({ actor, camera: fields }: RegisterCamera): Promise<CameraEntity> {
    const scope = RegionScope.of(actor);
    // A video system of another region is answered exactly like one that does not exist.
    const system = await this.access.run(scope, (m) => this.systems.find(m, scope, fields.videoSystemId));
    if (!system)
      throw new UnprocessableFieldException('videoSystemId', `unknown video system ${fields.videoSystemId}`);
    await this.changes.checkPlacement(system.regionCode, fields);
    const duplicate = () =>
      new ConflictFieldException('externalId', `video system already has a camera ${fields.externalId}`);
    return this.access.run(scope, async (manager) => {
      if (await this.cameras.findByExternalId(manager, scope, system.id, fields.externalId))
        throw duplicate();
      const camera = this.cameras.create(manager, {
        regionCode: system.regionCode,
        videoSystemId: system.id,
        externalId: fields.externalId,
        ...cameraColumnsOf(fields),
        lifecycle: fields.lifecycle ?? 'active',
        status: 'unknown',
        version: 1,
      });
      const saved = await this.cameras.save(manager, camera).catch((error: { code?: string }) => {
        // Lost a race with a concurrent registration of the same external id.
        throw error.code === '23505' ? duplicate() : error;
      });
      await this.changes.record(manager, saved, CameraChangeKind.CAMERA_CHANGE_KIND_REGISTERED, actor);
      return saved;
    });
  }
}
