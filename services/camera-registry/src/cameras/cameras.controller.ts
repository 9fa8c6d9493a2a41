import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Patch, Post, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { toCameraView } from './camera.mapper';
import { CamerasService } from './cameras.service';
import { CameraFieldsDto, ListCamerasQueryDto, RegisterCameraDto } from './dto/camera.dto';

@ApiTags('cameras')
@Controller('cameras')
export class CamerasController {
  constructor(private readonly cameras: CamerasService) {}

  @Post()
  async register(@Body() dto: RegisterCameraDto) {
    return toCameraView(await this.cameras.register(dto));
  }

  @Get()
  async list(@Query() query: ListCamerasQueryDto) {
    const page = await this.cameras.list(query);
    return { items: page.items.map(toCameraView), nextCursor: page.nextCursor };
  }

  @Get(':id')
  async get(@Param('id', ParseUUIDPipe) id: string) {
    return toCameraView(await this.cameras.get(id));
  }

  @Patch(':id')
  async update(@Param('id', ParseUUIDPipe) id: string, @Body() dto: CameraFieldsDto) {
    return toCameraView(await this.cameras.update(id, dto));
  }

  @Post(':id/decommission')
  @HttpCode(200)
  async decommission(@Param('id', ParseUUIDPipe) id: string) {
    return toCameraView(await this.cameras.decommission(id));
  }
}
