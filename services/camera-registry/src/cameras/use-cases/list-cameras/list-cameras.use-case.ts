import { Injectable } from '@nestjs/common';
import { RegionAccess, RegionScope, UseCase, UseCaseHandler } from '@safecity/security';
import { decodeCursor, encodeCursor, InvalidError, type Page } from '@safecity/service-kit';
import { CAMERA_REGISTRY_POLICIES as P } from '../../../camera-registry.policies';
import type { CameraEntity } from '../../camera.entity';
import { CamerasRepository } from '../../cameras.repository';
import type { ListCameras } from './list-cameras.command';

/** A page of the cameras of the caller's regions that match the filters, in id order. */
@Injectable()
export class ListCamerasUseCase extends UseCaseHandler<ListCameras, Page<CameraEntity>> {
  constructor(
    private readonly cameras: CamerasRepository,
    private readonly access: RegionAccess,
  ) {
    super();
  }

  @UseCase(P.listCameras)
  async execute({ actor, query }: ListCameras): Promise<Page<CameraEntity>> {
    const limit = query.limit ?? 100;
    const after = decodeCursor(query.cursor, { id: 'uuid' });
    if (query.bbox) {
      const [minLon, minLat, maxLon, maxLat] = query.bbox;
      if (minLon >= maxLon || minLat >= maxLat) {
        throw new InvalidError(
          { field: 'bbox', reason: 'must be minLon,minLat,maxLon,maxLat with min < max' },
          { malformed: true },
        );
      }
    }
    if (!query.near !== (query.radiusM === undefined)) {
      throw new InvalidError(
        { field: query.near ? 'radiusM' : 'near', reason: 'near and radiusM go together' },
        { malformed: true },
      );
    }
    const scope = RegionScope.of(actor);
    const rows = await this.access.run(scope, (m) =>
      this.cameras.search(
        m,
        scope,
        {
          regionCode: query.regionCode,
          districtCode: query.districtCode,
          bbox: query.bbox,
          radius:
            query.near && query.radiusM
              ? { lat: query.near[0], lon: query.near[1], metres: query.radiusM }
              : undefined,
          capabilities: query.capability,
          tags: query.tag,
          status: query.status,
          lifecycle: query.lifecycle,
          text: query.q,
          afterId: after?.id,
        },
        limit + 1,
      ),
    );
    const items = rows.slice(0, limit);
    return {
      items,
      nextCursor: rows.length > limit ? encodeCursor({ id: items[items.length - 1].id }) : null,
    };
  }
}
