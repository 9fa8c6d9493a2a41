import { Injectable } from '@nestjs/common';
import type { RegionScope } from '@safecity/security';
import { NotFoundError } from '@safecity/service-kit';
import type { EntityManager } from 'typeorm';
import { VideoSystemEntity } from './video-system.entity';
import { RegionAccess } from '@safecity/security';

/** Video systems in the transaction a use case hands over, within the caller's regions. */
@Injectable()
export class VideoSystemsRepository {
  constructor(private readonly access: RegionAccess) {}

  /** The video system if it exists and lies in the scope, else null. */
  find(manager: EntityManager, scope: RegionScope, id: string): Promise<VideoSystemEntity | null> {
    return this.access
      .filter(manager.getRepository(VideoSystemEntity).createQueryBuilder('v'), scope)
      .andWhere('v.id = :id', { id })
      .getOne();
  }

  /** The same; another region's system is answered exactly like a missing one. */
  async get(manager: EntityManager, scope: RegionScope, id: string): Promise<VideoSystemEntity> {
    const system = await this.find(manager, scope, id);
    if (!system) throw new NotFoundError(`video system ${id} not found`);
    return system;
  }

  list(manager: EntityManager, scope: RegionScope, regionCode?: string): Promise<VideoSystemEntity[]> {
    const q = this.access.filter(manager.getRepository(VideoSystemEntity).createQueryBuilder('v'), scope);
    if (regionCode) q.andWhere('v.region_code = :regionCode', { regionCode });
    return q.orderBy('v.created_at', 'ASC').limit(500).getMany();
  }

  insert(manager: EntityManager, fields: Partial<VideoSystemEntity>): Promise<VideoSystemEntity> {
    const repo = manager.getRepository(VideoSystemEntity);
    return repo.save(repo.create(fields));
  }
}
