import { Injectable } from '@nestjs/common';
import { isUuid } from '@safecity/contracts';
import { RegionAccess, RegionScope, UseCase, UseCaseHandler } from '@safecity/security';
import { InvalidError } from '@safecity/service-kit';
import { CAMERA_REGISTRY_POLICIES as P } from '../../../camera-registry.policies';
import type { CameraEntity } from '../../camera.entity';
import { CamerasRepository } from '../../cameras.repository';
import { MAX_CAMERAS_PER_BATCH, type BatchGetCameras } from './batch-get-cameras.command';

/** The cameras of the caller's regions among the ids, and the ids it found nothing for. */
@Injectable()
export class BatchGetCamerasUseCase extends UseCaseHandler<
  BatchGetCameras,
  { cameras: CameraEntity[]; missingIds: string[] }
> {
  constructor(
    private readonly cameras: CamerasRepository,
    private readonly access: RegionAccess,
  ) {
    super();
  }

  @UseCase(P.batchGetCameras)
  async execute({ actor, ids }: BatchGetCameras) {
    const distinct = [...new Set(ids)];
    if (distinct.length > MAX_CAMERAS_PER_BATCH) {
      throw new InvalidError({ field: 'ids', reason: `at most ${MAX_CAMERAS_PER_BATCH} ids per call` });
    }
    const bad = distinct.find((id) => !isUuid(id));
    if (bad !== undefined)
      throw new InvalidError({ field: 'ids', reason: `${JSON.stringify(bad)} is not a UUID` });
    const scope = RegionScope.of(actor);
    const cameras = await this.access.run(scope, (m) => this.cameras.findByIds(m, scope, distinct));
    const found = new Set(cameras.map((c) => c.id));
    return { cameras, missingIds: distinct.filter((id) => !found.has(id)) };
  }
}
