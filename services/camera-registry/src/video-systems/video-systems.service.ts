import { Injectable, NotFoundException } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { CAMERA_REGISTRY_SCHEMA } from '../schema';
import { UnprocessableFieldException } from '@safecity/service-kit';
import type { DataSource } from 'typeorm';
import { findRegion } from '../regions/regions';
import type { CreateVideoSystemDto } from './video-system.dto';
import { VideoSystemEntity } from './video-system.entity';

@Injectable()
export class VideoSystemsService {
  constructor(@InjectDataSource(CAMERA_REGISTRY_SCHEMA) private readonly dataSource: DataSource) {}

  async create(dto: CreateVideoSystemDto): Promise<VideoSystemEntity> {
    if (!findRegion(dto.regionCode))
      throw new UnprocessableFieldException('regionCode', `unknown region ${dto.regionCode}`);
    const repo = this.dataSource.getRepository(VideoSystemEntity);
    return repo.save(
      repo.create({
        regionCode: dto.regionCode,
        name: dto.name,
        vendor: dto.vendor,
        endpoint: dto.endpoint ?? null,
        ingestionMethod: dto.ingestionMethod,
        status: 'active',
      }),
    );
  }

  async get(id: string): Promise<VideoSystemEntity> {
    const system = await this.dataSource.getRepository(VideoSystemEntity).findOneBy({ id });
    if (!system) throw new NotFoundException(`video system ${id} not found`);
    return system;
  }

  async list(regionCode?: string): Promise<VideoSystemEntity[]> {
    return this.dataSource
      .getRepository(VideoSystemEntity)
      .find({ where: regionCode ? { regionCode } : {}, order: { createdAt: 'ASC' }, take: 500 });
  }
}
