import { Body, Controller, Delete, Get, HttpCode, Param, ParseUUIDPipe, Patch, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, Operation, RegionScope, type Principal } from '@safecity/security';
import { RECOGNITION_POLICIES as P } from '../recognition.policies';
import { GetBehaviourAlertUseCase } from './use-cases/get-behaviour-alert/get-behaviour-alert.use-case';
import { BehaviourRuleFieldsDto, CreateBehaviourRuleDto } from './behaviour-rule.dto';
import { BehaviourRulesService } from './behaviour-rules.service';
import { recognition, type ProtoJson } from '@safecity/contracts';

@ApiTags('behaviour rules')
@ApiBearerAuth()
@Controller()
export class BehaviourController {
  constructor(
    private readonly rules: BehaviourRulesService,
    private readonly getBehaviourAlert: GetBehaviourAlertUseCase,
  ) {}

  @Post('cameras/:cameraId/behaviour-rules')
  @Operation(P.keepBehaviourRules)
  create(
    @Param('cameraId', ParseUUIDPipe) cameraId: string,
    @Body() dto: CreateBehaviourRuleDto,
    @CurrentPrincipal() actor: Principal,
  ) {
    return this.rules.create(cameraId, dto, actor);
  }

  @Get('cameras/:cameraId/behaviour-rules')
  @Operation(P.readBehaviourRules)
  forCamera(@Param('cameraId', ParseUUIDPipe) cameraId: string, @CurrentPrincipal() actor: Principal) {
    return this.rules.forCamera(cameraId, RegionScope.of(actor));
  }

  @Get('behaviour-rules/:id')
  @Operation(P.readBehaviourRules)
  get(@Param('id', ParseUUIDPipe) id: string, @CurrentPrincipal() actor: Principal) {
    return this.rules.get(id, RegionScope.of(actor));
  }

  @Patch('behaviour-rules/:id')
  @Operation(P.keepBehaviourRules)
  update(
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: BehaviourRuleFieldsDto,
    @CurrentPrincipal() actor: Principal,
  ) {
    return this.rules.update(id, dto, actor);
  }

  @Delete('behaviour-rules/:id')
  @HttpCode(204)
  @Operation(P.keepBehaviourRules)
  async remove(@Param('id', ParseUUIDPipe) id: string, @CurrentPrincipal() actor: Principal) {
    await this.rules.remove(id, actor);
  }

  @Get('behaviour-alerts/:id')
  @Operation(P.getBehaviourAlert)
  async alert(
    @Param('id', ParseUUIDPipe) id: string,
    @CurrentPrincipal() actor: Principal,
  ): Promise<ProtoJson<recognition.BehaviourAlert>> {
    return recognition.BehaviourAlert.toJSON(
      await this.getBehaviourAlert.execute({ actor, id }),
    ) as ProtoJson<recognition.BehaviourAlert>;
  }
}
