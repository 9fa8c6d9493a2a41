import type { Command } from '@safecity/security';
import type { CreateBehaviourRuleDto } from '../../behaviour-rule.dto';

export interface CreateBehaviourRule extends Command {
  cameraId: string;
  rule: CreateBehaviourRuleDto;
}
