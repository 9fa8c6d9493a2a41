import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Patch, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, Operation, type Principal } from '@safecity/security';
import { NoRequestBody } from '@safecity/service-kit';
import { CAMERA_REGISTRY_POLICIES as P } from '../camera-registry.policies';
import { toCameraView } from './camera.mapper';
import { CameraFieldsDto, ListCamerasQueryDto, RegisterCameraDto } from './dto/camera.dto';
import {
  DecommissionCameraUseCase,
  GetCameraUseCase,
  ListCamerasUseCase,
  RegisterCameraUseCase,
  UpdateCameraUseCase,
} from './use-cases';

@ApiTags('cameras')
@ApiBearerAuth()
@Controller('cameras')
export class CamerasController {
  constructor(
    private readonly registerCamera: RegisterCameraUseCase,
    private readonly listCameras: ListCamerasUseCase,
    private readonly getCamera: GetCameraUseCase,
    private readonly updateCamera: UpdateCameraUseCase,
    private readonly decommissionCamera: DecommissionCameraUseCase,
  ) {}

  @Post()
  @Operation(P.registerCamera)
  async register(@Body() dto: RegisterCameraDto, @CurrentPrincipal() actor: Principal) {
    return toCameraView(await this.registerCamera.execute({ actor, camera: dto }));
  }

  @Get()
  @Operation(P.listCameras)
  async list(@Query() query: ListCamerasQueryDto, @CurrentPrincipal() actor: Principal) {
    const page = await this.listCameras.execute({ actor, query });
    return { items: page.items.map(toCameraView), nextCursor: page.nextCursor };
  }

  @Get(':id')
  @Operation(P.getCamera)
  async get(@Param('id', ParseUUIDPipe) id: string, @CurrentPrincipal() actor: Principal) {
    return toCameraView(await this.getCamera.execute({ actor, id }));
  }

  @Patch(':id')
  @Operation(P.updateCamera)
  async update(
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: CameraFieldsDto,
    @CurrentPrincipal() actor: Principal,
  ) {
    return toCameraView(await this.updateCamera.execute({ actor, id, fields: dto }));
  }

  @Post(':id/decommission')
  @HttpCode(200)
  @NoRequestBody()
  @Operation(P.decommissionCamera)
  async decommission(@Param('id', ParseUUIDPipe) id: string, @CurrentPrincipal() actor: Principal) {
    return toCameraView(await this.decommissionCamera.execute({ actor, id }));
  }
}
