import { Body, Controller, Get, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, Operation, RegionScope, type Principal } from '@safecity/security';
import { CAMERA_REGISTRY_POLICIES as P } from '../camera-registry.policies';
import { CoveringQueryDto, CreateOperationsCenterDto } from './operations-center.dto';
import { OperationsCentersService } from './operations-centers.service';

@ApiTags('operations centers')
@ApiBearerAuth()
@Controller('operations-centers')
export class OperationsCentersController {
  constructor(private readonly centers: OperationsCentersService) {}

  @Post()
  @Operation(P.createOperationsCenter)
  create(@Body() dto: CreateOperationsCenterDto, @CurrentPrincipal() actor: Principal) {
    return this.centers.create(dto, RegionScope.of(actor));
  }

  @Get('covering')
  @Operation(P.readOperationsCenters)
  covering(@Query() query: CoveringQueryDto, @CurrentPrincipal() actor: Principal) {
    return this.centers.covering(query.lat, query.lon, RegionScope.of(actor));
  }

  @Get(':id')
  @Operation(P.readOperationsCenters)
  get(@Param('id', ParseUUIDPipe) id: string, @CurrentPrincipal() actor: Principal) {
    return this.centers.get(id, RegionScope.of(actor));
  }

  @Get()
  @Operation(P.readOperationsCenters)
  list(@CurrentPrincipal() actor: Principal, @Query('regionCode') regionCode?: string) {
    return this.centers.list(RegionScope.of(actor), regionCode);
  }
}
