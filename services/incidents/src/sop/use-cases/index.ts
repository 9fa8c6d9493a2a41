import { CompleteSopStepUseCase } from './complete-sop-step/complete-sop-step.use-case';
import { PublishNationalSopUseCase } from './publish-national-sop/publish-national-sop.use-case';
import { PublishRegionalSopUseCase } from './publish-regional-sop/publish-regional-sop.use-case';
import { ReadIncidentSopUseCase } from './read-incident-sop/read-incident-sop.use-case';
import { ReadNationalSopUseCase } from './read-national-sop/read-national-sop.use-case';
import { ReadRegionalSopUseCase } from './read-regional-sop/read-regional-sop.use-case';

export {
  CompleteSopStepUseCase,
  PublishNationalSopUseCase,
  PublishRegionalSopUseCase,
  ReadIncidentSopUseCase,
  ReadNationalSopUseCase,
  ReadRegionalSopUseCase,
};

/** Every operation on SOP checklists and an incident's progress through its own. */
export const SOP_USE_CASES = [
  PublishNationalSopUseCase,
  PublishRegionalSopUseCase,
  ReadNationalSopUseCase,
  ReadRegionalSopUseCase,
  ReadIncidentSopUseCase,
  CompleteSopStepUseCase,
];
