import type { Command } from '@safecity/security';
import type { BehaviourRuleFieldsDto } from '../../behaviour-rule.dto';

export interface UpdateBehaviourRule extends Command {
  id: string;
  fields: BehaviourRuleFieldsDto;
}
