import { Injectable } from '@nestjs/common';
import { CameraChangeKind } from '@safecity/contracts';
import { UseCase, UseCaseHandler } from '@safecity/security';
import { ConflictFieldException } from '@safecity/service-kit';
import { CAMERA_REGISTRY_POLICIES as P } from '../../../camera-registry.policies';
import type { CameraEntity } from '../../camera.entity';
import { CameraChanges, cameraColumnsOf } from '../../camera-changes';
import type { CameraChange } from '../../camera-events';
import type { UpdateCamera } from './update-camera.command';

/** New fields of a camera still in service, announced as updated. */
@Injectable()
export class UpdateCameraUseCase extends UseCaseHandler<UpdateCamera, CameraEntity> {
  constructor(private readonly changes: CameraChanges) {
    super();
  }

  @UseCase(P.updateCamera)
  async execute({ actor, id, fields }: UpdateCamera): Promise<CameraEntity> {
    return this.changes.change(id, actor, async (camera): Promise<CameraChange> => {
      if (camera.lifecycle === 'decommissioned') {
        throw new ConflictFieldException('lifecycle', 'a decommissioned camera cannot be changed');
      }
      await this.changes.checkPlacement(camera.regionCode, fields);
      Object.assign(camera, cameraColumnsOf(fields), { lifecycle: fields.lifecycle ?? camera.lifecycle });
      return CameraChangeKind.CAMERA_CHANGE_KIND_UPDATED;
    });
  }
}
