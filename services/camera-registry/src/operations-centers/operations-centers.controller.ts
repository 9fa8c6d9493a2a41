import { Body, Controller, Get, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, RegionScope, Roles, type Principal } from '@safecity/security';
import { CoveringQueryDto, CreateOperationsCenterDto } from './operations-center.dto';
import { OperationsCentersService } from './operations-centers.service';

@ApiTags('operations centers')
@ApiBearerAuth()
@Roles('admin', 'region-admin', 'operator', 'supervisor', 'analyst', 'service')
@Controller('operations-centers')
export class OperationsCentersController {
  constructor(private readonly centers: OperationsCentersService) {}

  @Post()
  @Roles('admin', 'region-admin')
  create(@Body() dto: CreateOperationsCenterDto, @CurrentPrincipal() actor: Principal) {
    return this.centers.create(dto, RegionScope.of(actor));
  }

  @Get('covering')
  covering(@Query() query: CoveringQueryDto, @CurrentPrincipal() actor: Principal) {
    return this.centers.covering(query.lat, query.lon, RegionScope.of(actor));
  }

  @Get(':id')
  get(@Param('id', ParseUUIDPipe) id: string, @CurrentPrincipal() actor: Principal) {
    return this.centers.get(id, RegionScope.of(actor));
  }

  @Get()
  list(@CurrentPrincipal() actor: Principal, @Query('regionCode') regionCode?: string) {
    return this.centers.list(RegionScope.of(actor), regionCode);
  }
}
