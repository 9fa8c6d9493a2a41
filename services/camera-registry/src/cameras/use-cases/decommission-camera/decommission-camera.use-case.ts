import { Injectable } from '@nestjs/common';
import { CameraChangeKind } from '@safecity/contracts';
import { UseCase, UseCaseHandler } from '@safecity/security';
import { ConflictFieldException } from '@safecity/service-kit';
import { CAMERA_REGISTRY_POLICIES as P } from '../../../camera-registry.policies';
import type { CameraEntity } from '../../camera.entity';
import { CameraChanges } from '../../camera-changes';
import type { DecommissionCamera } from './decommission-camera.command';

/** Takes a camera out of service for good, announced as decommissioned. */
@Injectable()
export class DecommissionCameraUseCase extends UseCaseHandler<DecommissionCamera, CameraEntity> {
  constructor(private readonly changes: CameraChanges) {
    super();
  }

  @UseCase(P.decommissionCamera)
  async execute({ actor, id }: DecommissionCamera): Promise<CameraEntity> {
    return this.changes.change(id, actor, (camera) => {
      if (camera.lifecycle === 'decommissioned') {
        throw new ConflictFieldException('lifecycle', 'camera is already decommissioned');
      }
      camera.lifecycle = 'decommissioned';
      return CameraChangeKind.CAMERA_CHANGE_KIND_DECOMMISSIONED;
    });
  }
}
