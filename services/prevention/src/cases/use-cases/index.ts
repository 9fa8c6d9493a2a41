import { AssessRiskUseCase } from './assess-risk/assess-risk.use-case';
import { ChangeCaseStatusUseCase } from './change-case-status/change-case-status.use-case';
import { GetCaseUseCase } from './get-case/get-case.use-case';
import { LinkIncidentUseCase } from './link-incident/link-incident.use-case';
import { ListCasesByIncidentUseCase } from './list-cases-by-incident/list-cases-by-incident.use-case';
import { ListCasesUseCase } from './list-cases/list-cases.use-case';
import { ListDueReviewsUseCase } from './list-due-reviews/list-due-reviews.use-case';
import { ListOverdueMeasuresUseCase } from './list-overdue-measures/list-overdue-measures.use-case';
import { OpenCaseUseCase } from './open-case/open-case.use-case';
import { PlanMeasureUseCase } from './plan-measure/plan-measure.use-case';
import { ReadCaseTimelineUseCase } from './read-case-timeline/read-case-timeline.use-case';
import { ReadRiskFactorsUseCase } from './read-risk-factors/read-risk-factors.use-case';
import { RecordReviewUseCase } from './record-review/record-review.use-case';
import { UpdateCaseUseCase } from './update-case/update-case.use-case';
import { UpdateMeasureUseCase } from './update-measure/update-measure.use-case';

export {
  AssessRiskUseCase,
  ChangeCaseStatusUseCase,
  GetCaseUseCase,
  LinkIncidentUseCase,
  ListCasesByIncidentUseCase,
  ListCasesUseCase,
  ListDueReviewsUseCase,
  ListOverdueMeasuresUseCase,
  OpenCaseUseCase,
  PlanMeasureUseCase,
  ReadCaseTimelineUseCase,
  ReadRiskFactorsUseCase,
  RecordReviewUseCase,
  UpdateCaseUseCase,
  UpdateMeasureUseCase,
};

/** Every operation on prevention cases, their measures and reviews. */
export const CASE_USE_CASES = [
  ReadRiskFactorsUseCase,
  OpenCaseUseCase,
  ListCasesUseCase,
  GetCaseUseCase,
  ListCasesByIncidentUseCase,
  ReadCaseTimelineUseCase,
  UpdateCaseUseCase,
  AssessRiskUseCase,
  ChangeCaseStatusUseCase,
  RecordReviewUseCase,
  LinkIncidentUseCase,
  PlanMeasureUseCase,
  UpdateMeasureUseCase,
  ListOverdueMeasuresUseCase,
  ListDueReviewsUseCase,
];
