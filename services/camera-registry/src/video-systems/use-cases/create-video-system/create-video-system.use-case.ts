import { Injectable } from '@nestjs/common';
import { AuditLog, RegionAccess, RegionScope, UseCase, UseCaseHandler } from '@safecity/security';
import { UnprocessableFieldException } from '@safecity/service-kit';
import { CAMERA_REGISTRY_POLICIES as P } from '../../../camera-registry.policies';
import { findRegion } from '../../../regions/regions';
import type { VideoSystemEntity } from '../../video-system.entity';
import { VideoSystemsRepository } from '../../video-systems.repository';
import type { CreateVideoSystem } from './create-video-system.command';

/** Registers an akimat's video system in one of the caller's regions. */
@Injectable()
export class CreateVideoSystemUseCase extends UseCaseHandler<CreateVideoSystem, VideoSystemEntity> {
  constructor(
    private readonly access: RegionAccess,
    private readonly systems: VideoSystemsRepository,
    private readonly audit: AuditLog,
  ) {
    super();
  }

  @UseCase(P.createVideoSystem)
  async execute(command: CreateVideoSystem): Promise<VideoSystemEntity> {
    const { actor, regionCode } = command;
    if (!findRegion(regionCode))
      throw new UnprocessableFieldException('regionCode', `unknown region ${regionCode}`);
    const scope = RegionScope.of(actor);
    if (!scope.includes(regionCode)) {
      throw new UnprocessableFieldException('regionCode', `region ${regionCode} is outside your regions`);
    }
    return this.access.run(scope, async (manager) => {
      const system = await this.systems.insert(manager, {
        regionCode,
        name: command.name,
        vendor: command.vendor,
        endpoint: command.endpoint ?? null,
        ingestionMethod: command.ingestionMethod,
        status: 'active',
      });
      await this.audit.record(manager, {
        actor,
        action: 'create',
        objectType: 'video-system',
        objectId: system.id,
        regionCode: system.regionCode,
        details: { vendor: system.vendor, ingestionMethod: system.ingestionMethod },
      });
      return system;
    });
  }
}
