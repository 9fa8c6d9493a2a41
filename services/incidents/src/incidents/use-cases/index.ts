import { BatchGetIncidentsUseCase } from './batch-get-incidents/batch-get-incidents.use-case';
import { GetIncidentUseCase } from './get-incident/get-incident.use-case';
import { ListIncidentsUseCase } from './list-incidents/list-incidents.use-case';
import { OpenIncidentUseCase } from './open-incident/open-incident.use-case';
import { TransitionIncidentUseCase } from './transition-incident/transition-incident.use-case';

export type { IncidentBatch } from './batch-get-incidents/batch-get-incidents.use-case';
export type { IncidentPage } from './list-incidents/list-incidents.use-case';
export type { TransitionOutcome } from './transition-incident/transition-incident.use-case';
export {
  BatchGetIncidentsUseCase,
  GetIncidentUseCase,
  ListIncidentsUseCase,
  OpenIncidentUseCase,
  TransitionIncidentUseCase,
};

/** Every operation on incidents themselves: opening, reading, listing, moving. */
export const INCIDENT_USE_CASES = [
  OpenIncidentUseCase,
  GetIncidentUseCase,
  BatchGetIncidentsUseCase,
  ListIncidentsUseCase,
  TransitionIncidentUseCase,
];
