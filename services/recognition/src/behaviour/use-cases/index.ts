import { CreateBehaviourRuleUseCase } from './create-behaviour-rule/create-behaviour-rule.use-case';
import { GetBehaviourAlertUseCase } from './get-behaviour-alert/get-behaviour-alert.use-case';
import { GetBehaviourRuleUseCase } from './get-behaviour-rule/get-behaviour-rule.use-case';
import { ListCameraBehaviourRulesUseCase } from './list-camera-behaviour-rules/list-camera-behaviour-rules.use-case';
import { RemoveBehaviourRuleUseCase } from './remove-behaviour-rule/remove-behaviour-rule.use-case';
import { UpdateBehaviourRuleUseCase } from './update-behaviour-rule/update-behaviour-rule.use-case';

export {
  CreateBehaviourRuleUseCase,
  GetBehaviourAlertUseCase,
  GetBehaviourRuleUseCase,
  ListCameraBehaviourRulesUseCase,
  RemoveBehaviourRuleUseCase,
  UpdateBehaviourRuleUseCase,
};

/** Every operation on behaviour rules and the alerts they raise. */
export const BEHAVIOUR_USE_CASES = [
  CreateBehaviourRuleUseCase,
  ListCameraBehaviourRulesUseCase,
  GetBehaviourRuleUseCase,
  UpdateBehaviourRuleUseCase,
  RemoveBehaviourRuleUseCase,
  GetBehaviourAlertUseCase,
];
