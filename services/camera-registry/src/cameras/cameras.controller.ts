import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Patch, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, Operation, RegionScope, type Principal } from '@safecity/security';
import { NoRequestBody } from '@safecity/service-kit';
import { CAMERA_REGISTRY_POLICIES as P } from '../camera-registry.policies';
import { toCameraView } from './camera.mapper';
import { CamerasService } from './cameras.service';
import { CameraFieldsDto, ListCamerasQueryDto, RegisterCameraDto } from './dto/camera.dto';

@ApiTags('cameras')
@ApiBearerAuth()
@Controller('cameras')
export class CamerasController {
  constructor(private readonly cameras: CamerasService) {}

  @Post()
  @Operation(P.registerCamera)
  async register(@Body() dto: RegisterCameraDto, @CurrentPrincipal() actor: Principal) {
    return toCameraView(await this.cameras.register(dto, actor));
  }

  @Get()
  @Operation(P.listCameras)
  async list(@Query() query: ListCamerasQueryDto, @CurrentPrincipal() actor: Principal) {
    const page = await this.cameras.list(query, RegionScope.of(actor));
    return { items: page.items.map(toCameraView), nextCursor: page.nextCursor };
  }

  @Get(':id')
  @Operation(P.getCamera)
  async get(@Param('id', ParseUUIDPipe) id: string, @CurrentPrincipal() actor: Principal) {
    return toCameraView(await this.cameras.get(id, RegionScope.of(actor)));
  }

  @Patch(':id')
  @Operation(P.updateCamera)
  async update(
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: CameraFieldsDto,
    @CurrentPrincipal() actor: Principal,
  ) {
    return toCameraView(await this.cameras.update(id, dto, actor));
  }

  @Post(':id/decommission')
  @HttpCode(200)
  @NoRequestBody()
  @Operation(P.decommissionCamera)
  async decommission(@Param('id', ParseUUIDPipe) id: string, @CurrentPrincipal() actor: Principal) {
    return toCameraView(await this.cameras.decommission(id, actor));
  }
}
