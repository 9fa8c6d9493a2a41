import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { CAMERA_REGISTRY_SCHEMA } from '../schema';
import { DataSource, type EntityManager } from 'typeorm';
import { CameraEntity } from './camera.entity';

/** The SQL of cameras. */
@Injectable()
export class CamerasRepository {
  constructor(@InjectDataSource(CAMERA_REGISTRY_SCHEMA) private readonly dataSource: DataSource) {}

  private repo(manager?: EntityManager) {
    return (manager ?? this.dataSource.manager).getRepository(CameraEntity);
  }

  findById(id: string, manager?: EntityManager) {
    return this.repo(manager).findOneBy({ id });
  }

  findByIds(ids: string[]) {
    if (ids.length === 0) return Promise.resolve([]);
    return this.repo().createQueryBuilder('c').where('c.id = ANY(:ids::uuid[])', { ids }).getMany();
  }

  findByExternalId(videoSystemId: string, externalId: string) {
    return this.repo().findOneBy({ videoSystemId, externalId });
  }

  /** Locks the row for an update so concurrent changes get consecutive versions. */
  lockById(id: string, manager: EntityManager) {
    return this.repo(manager)
      .createQueryBuilder('c')
      .setLock('pessimistic_write')
      .where('c.id = :id', { id })
      .getOne();
  }

  save(camera: CameraEntity, manager: EntityManager) {
    return this.repo(manager).save(camera);
  }

  create(fields: Partial<CameraEntity>, manager?: EntityManager) {
    return this.repo(manager).create(fields);
  }

  /** Keyset page ordered by id. */
  page(filter: { regionCode?: string; afterId?: string }, limit: number) {
    const q = this.repo().createQueryBuilder('c').orderBy('c.id', 'ASC').limit(limit);
    if (filter.regionCode) q.andWhere('c.region_code = :region', { region: filter.regionCode });
    if (filter.afterId) q.andWhere('c.id > :after', { after: filter.afterId });
    return q.getMany();
  }
}
