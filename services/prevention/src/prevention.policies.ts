import { definePolicies, type Role } from '@safecity/security';

/** Prevention officers run cases; social workers take part; admins oversee. Analysts see figures only. */
const CASE_WORKERS: Role[] = ['admin', 'prevention-officer', 'social-worker'];
/** Who opens, closes and redirects cases, links incidents and decides on suggested cases. */
const CASE_OWNERS: Role[] = ['admin', 'prevention-officer'];
/** Figures and place-based forecasts: no case, subject or incident is named in them. */
const FIGURE_READERS: Role[] = ['admin', 'analyst', 'prevention-officer', 'supervisor', 'service'];

/**
 * One policy per operation of prevention, whichever transport calls it: the REST route and the
 * gRPC method of an operation name the same policy, and so does the use case both reach.
 */
export const PREVENTION_POLICIES = definePolicies('prevention', {
  /** `GET /risk-factors`: the catalogue. */
  readRiskFactors: { callers: CASE_WORKERS, regions: 'none', reveals: [] },
  /** `POST /cases`: a known subject's data only with a stated purpose, audited. */
  openCase: { callers: CASE_OWNERS, regions: 'own', reveals: ['case-subject'] },
  /** `GET /cases`, gRPC `ListCases`: people and families by reference only. */
  listCases: { callers: [...CASE_WORKERS, 'service'], regions: 'own', reveals: ['case-subject'] },
  /** `GET /cases/:id`, gRPC `GetCase`: a person's or family's case only with a purpose, audited. */
  getCase: { callers: [...CASE_WORKERS, 'service'], regions: 'own', reveals: ['case-subject'] },
  /** gRPC `ListCasesByIncident`. */
  listCasesByIncident: { callers: [...CASE_WORKERS, 'service'], regions: 'own', reveals: ['case-subject'] },
  /** `GET /cases/:id/timeline`: notes may speak of the person, so with a purpose, audited. */
  readTimeline: { callers: CASE_WORKERS, regions: 'own', reveals: ['case-subject'] },
  /** `PATCH /cases/:id`, `POST /cases/:id/status`, `POST /cases/:id/incidents`. */
  steerCase: { callers: CASE_OWNERS, regions: 'own', reveals: ['case-subject'] },
  /** `PUT …/risk-assessment`, `POST …/reviews`, `POST …/measures`, `PATCH …/measures/:measureId`. */
  workOnCase: { callers: CASE_WORKERS, regions: 'own', reveals: ['case-subject'] },
  /** `GET /measures/overdue`, `GET /reviews/due`: what is due and with whom. */
  readDueWork: { callers: CASE_WORKERS, regions: 'own', reveals: [] },
  /** `GET /suggestions`, `POST /suggestions/:id/{accept,dismiss}`, `GET|PUT /trigger-settings/:regionCode`. */
  decideSuggestions: { callers: CASE_OWNERS, regions: 'own', reveals: [] },
  /** `GET /kpis`, `GET /kpis.csv`, gRPC `GetKpis`. */
  readKpis: { callers: FIGURE_READERS, regions: 'own', reveals: [] },
  /** `safecity.incidents.v1`: incidents as the platform's incidents service announces them. */
  applyIncidentChanges: { callers: ['service'], regions: 'own', reveals: [] },
  /** `GET /forecasts`, `GET /forecasts/backtest`, gRPC `GetForecast`: places and hours only. */
  readForecasts: { callers: FIGURE_READERS, regions: 'own', reveals: [] },
});
