import { Body, Controller, Get, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, Operation, type Principal } from '@safecity/security';
import { CAMERA_REGISTRY_POLICIES as P } from '../camera-registry.policies';
import { CoveringQueryDto, CreateOperationsCenterDto } from './operations-center.dto';
import {
  CreateOperationsCenterUseCase,
  FindCoveringOperationsCentersUseCase,
  GetOperationsCenterUseCase,
  ListOperationsCentersUseCase,
} from './use-cases';

@ApiTags('operations centers')
@ApiBearerAuth()
@Controller('operations-centers')
export class OperationsCentersController {
  constructor(
    private readonly createCenter: CreateOperationsCenterUseCase,
    private readonly findCovering: FindCoveringOperationsCentersUseCase,
    private readonly getCenter: GetOperationsCenterUseCase,
    private readonly listCenters: ListOperationsCentersUseCase,
  ) {}

  @Post()
  @Operation(P.createOperationsCenter)
  create(@Body() dto: CreateOperationsCenterDto, @CurrentPrincipal() actor: Principal) {
    return this.createCenter.execute({ actor, ...dto });
  }

  @Get('covering')
  @Operation(P.readOperationsCenters)
  covering(@Query() query: CoveringQueryDto, @CurrentPrincipal() actor: Principal) {
    return this.findCovering.execute({ actor, lat: query.lat, lon: query.lon });
  }

  @Get(':id')
  @Operation(P.readOperationsCenters)
  get(@Param('id', ParseUUIDPipe) id: string, @CurrentPrincipal() actor: Principal) {
    return this.getCenter.execute({ actor, id });
  }

  @Get()
  @Operation(P.readOperationsCenters)
  list(@CurrentPrincipal() actor: Principal, @Query('regionCode') regionCode?: string) {
    return this.listCenters.execute({ actor, regionCode });
  }
}
