import { Body, Controller, Get, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { CoveringQueryDto, CreateOperationsCenterDto } from './operations-center.dto';
import { OperationsCentersService } from './operations-centers.service';

@ApiTags('operations centers')
@Controller('operations-centers')
export class OperationsCentersController {
  constructor(private readonly centers: OperationsCentersService) {}

  @Post()
  create(@Body() dto: CreateOperationsCenterDto) {
    return this.centers.create(dto);
  }

  @Get('covering')
  covering(@Query() query: CoveringQueryDto) {
    return this.centers.covering(query.lat, query.lon);
  }

  @Get(':id')
  get(@Param('id', ParseUUIDPipe) id: string) {
    return this.centers.get(id);
  }

  @Get()
  list(@Query('regionCode') regionCode?: string) {
    return this.centers.list(regionCode);
  }
}
