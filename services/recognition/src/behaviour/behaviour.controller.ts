import { Body, Controller, Delete, Get, HttpCode, Param, ParseUUIDPipe, Patch, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, Operation, type Principal } from '@safecity/security';
import { RECOGNITION_POLICIES as P } from '../recognition.policies';
import {
  CreateBehaviourRuleUseCase,
  GetBehaviourAlertUseCase,
  GetBehaviourRuleUseCase,
  ListCameraBehaviourRulesUseCase,
  RemoveBehaviourRuleUseCase,
  UpdateBehaviourRuleUseCase,
} from './use-cases';
import { BehaviourRuleFieldsDto, CreateBehaviourRuleDto } from './behaviour-rule.dto';
import { recognition, type ProtoJson } from '@safecity/contracts';

@ApiTags('behaviour rules')
@ApiBearerAuth()
@Controller()
export class BehaviourController {
  constructor(
    private readonly createBehaviourRule: CreateBehaviourRuleUseCase,
    private readonly listCameraBehaviourRules: ListCameraBehaviourRulesUseCase,
    private readonly getBehaviourRule: GetBehaviourRuleUseCase,
    private readonly updateBehaviourRule: UpdateBehaviourRuleUseCase,
    private readonly removeBehaviourRule: RemoveBehaviourRuleUseCase,
    private readonly getBehaviourAlert: GetBehaviourAlertUseCase,
  ) {}

  @Post('cameras/:cameraId/behaviour-rules')
  @Operation(P.keepBehaviourRules)
  create(
    @Param('cameraId', ParseUUIDPipe) cameraId: string,
    @Body() dto: CreateBehaviourRuleDto,
    @CurrentPrincipal() actor: Principal,
  ) {
    return this.createBehaviourRule.execute({ actor, cameraId, rule: dto });
  }

  @Get('cameras/:cameraId/behaviour-rules')
  @Operation(P.readBehaviourRules)
  forCamera(@Param('cameraId', ParseUUIDPipe) cameraId: string, @CurrentPrincipal() actor: Principal) {
    return this.listCameraBehaviourRules.execute({ actor, cameraId });
  }

  @Get('behaviour-rules/:id')
  @Operation(P.readBehaviourRules)
  get(@Param('id', ParseUUIDPipe) id: string, @CurrentPrincipal() actor: Principal) {
    return this.getBehaviourRule.execute({ actor, id });
  }

  @Patch('behaviour-rules/:id')
  @Operation(P.keepBehaviourRules)
  update(
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: BehaviourRuleFieldsDto,
    @CurrentPrincipal() actor: Principal,
  ) {
    return this.updateBehaviourRule.execute({ actor, id, fields: dto });
  }

  @Delete('behaviour-rules/:id')
  @HttpCode(204)
  @Operation(P.keepBehaviourRules)
  async remove(@Param('id', ParseUUIDPipe) id: string, @CurrentPrincipal() actor: Principal) {
    await this.removeBehaviourRule.execute({ actor, id });
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
