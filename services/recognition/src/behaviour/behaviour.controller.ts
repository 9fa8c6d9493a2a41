import { Body, Controller, Delete, Get, HttpCode, Param, ParseUUIDPipe, Patch, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, RegionScope, Roles, type Principal } from '@safecity/security';
import { BehaviourAlertsService } from './behaviour-alerts.service';
import { BehaviourRuleFieldsDto, CreateBehaviourRuleDto } from './behaviour-rule.dto';
import { BehaviourRulesService } from './behaviour-rules.service';
import { recognition, type ProtoJson } from '@safecity/contracts';

/** Region integrators (region admins) and supervisors keep the rules; operators read them. */
const RULE_KEEPERS = ['admin', 'region-admin', 'supervisor'] as const;

@ApiTags('behaviour rules')
@ApiBearerAuth()
@Controller()
export class BehaviourController {
  constructor(
    private readonly rules: BehaviourRulesService,
    private readonly alerts: BehaviourAlertsService,
  ) {}

  @Post('cameras/:cameraId/behaviour-rules')
  @Roles(...RULE_KEEPERS)
  create(
    @Param('cameraId', ParseUUIDPipe) cameraId: string,
    @Body() dto: CreateBehaviourRuleDto,
    @CurrentPrincipal() actor: Principal,
  ) {
    return this.rules.create(cameraId, dto, actor);
  }

  @Get('cameras/:cameraId/behaviour-rules')
  @Roles(...RULE_KEEPERS, 'operator')
  forCamera(@Param('cameraId', ParseUUIDPipe) cameraId: string, @CurrentPrincipal() actor: Principal) {
    return this.rules.forCamera(cameraId, RegionScope.of(actor));
  }

  @Get('behaviour-rules/:id')
  @Roles(...RULE_KEEPERS, 'operator')
  get(@Param('id', ParseUUIDPipe) id: string, @CurrentPrincipal() actor: Principal) {
    return this.rules.get(id, RegionScope.of(actor));
  }

  @Patch('behaviour-rules/:id')
  @Roles(...RULE_KEEPERS)
  update(
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: BehaviourRuleFieldsDto,
    @CurrentPrincipal() actor: Principal,
  ) {
    return this.rules.update(id, dto, actor);
  }

  @Delete('behaviour-rules/:id')
  @Roles(...RULE_KEEPERS)
  @HttpCode(204)
  async remove(@Param('id', ParseUUIDPipe) id: string, @CurrentPrincipal() actor: Principal) {
    await this.rules.remove(id, actor);
  }

  @Get('behaviour-alerts/:id')
  @Roles('admin', 'region-admin', 'operator', 'supervisor')
  async alert(
    @Param('id', ParseUUIDPipe) id: string,
    @CurrentPrincipal() actor: Principal,
  ): Promise<ProtoJson<recognition.BehaviourAlert>> {
    return recognition.BehaviourAlert.toJSON(
      await this.alerts.get(id, actor),
    ) as ProtoJson<recognition.BehaviourAlert>;
  }
}
