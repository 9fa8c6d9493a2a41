import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Patch, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, RegionScope, Roles, type Principal } from '@safecity/security';
import { NoRequestBody } from '@safecity/service-kit';
import { toCameraView } from './camera.mapper';
import { CamerasService } from './cameras.service';
import { CameraFieldsDto, ListCamerasQueryDto, RegisterCameraDto } from './dto/camera.dto';

/** Everyone who works with cameras reads them; only administrators change them. */
export const CAMERA_READERS = ['admin', 'region-admin', 'operator', 'supervisor', 'analyst'] as const;

@ApiTags('cameras')
@ApiBearerAuth()
@Controller('cameras')
export class CamerasController {
  constructor(private readonly cameras: CamerasService) {}

  @Post()
  @Roles('admin', 'region-admin')
  async register(@Body() dto: RegisterCameraDto, @CurrentPrincipal() actor: Principal) {
    return toCameraView(await this.cameras.register(dto, actor));
  }

  @Get()
  @Roles(...CAMERA_READERS)
  async list(@Query() query: ListCamerasQueryDto, @CurrentPrincipal() actor: Principal) {
    const page = await this.cameras.list(query, RegionScope.of(actor));
    return { items: page.items.map(toCameraView), nextCursor: page.nextCursor };
  }

  @Get(':id')
  @Roles(...CAMERA_READERS)
  async get(@Param('id', ParseUUIDPipe) id: string, @CurrentPrincipal() actor: Principal) {
    return toCameraView(await this.cameras.get(id, RegionScope.of(actor)));
  }

  @Patch(':id')
  @Roles('admin', 'region-admin')
  async update(
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: CameraFieldsDto,
    @CurrentPrincipal() actor: Principal,
  ) {
    return toCameraView(await this.cameras.update(id, dto, actor));
  }

  @Post(':id/decommission')
  @Roles('admin', 'region-admin')
  @HttpCode(200)
  @NoRequestBody()
  async decommission(@Param('id', ParseUUIDPipe) id: string, @CurrentPrincipal() actor: Principal) {
    return toCameraView(await this.cameras.decommission(id, actor));
  }
}
