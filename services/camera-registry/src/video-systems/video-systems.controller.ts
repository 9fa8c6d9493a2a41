import { Body, Controller, Get, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { CreateVideoSystemDto } from './video-system.dto';
import { VideoSystemsService } from './video-systems.service';

@ApiTags('video systems')
@Controller('video-systems')
export class VideoSystemsController {
  constructor(private readonly videoSystems: VideoSystemsService) {}

  @Post()
  create(@Body() dto: CreateVideoSystemDto) {
    return this.videoSystems.create(dto);
  }

  @Get(':id')
  get(@Param('id', ParseUUIDPipe) id: string) {
    return this.videoSystems.get(id);
  }

  @Get()
  list(@Query('regionCode') regionCode?: string) {
    return this.videoSystems.list(regionCode);
  }
}
