import { definePolicies, type Role } from '@safecity/security';

/**
 * Who reads incidents. What each role sees of them is narrowed further by what led to them
 * (`live/visibility.ts`): analysts see no face matches, region admins only their cameras' outages.
 */
const INCIDENT_READERS: Role[] = ['admin', 'region-admin', 'operator', 'supervisor', 'analyst', 'service'];
/** The people on shift: they open, verify, dispatch and close incidents. */
const ON_SHIFT: Role[] = ['operator', 'supervisor'];
const SOP_READERS: Role[] = ['operator', 'supervisor', 'admin', 'analyst'];

/**
 * One policy per operation of incidents, whichever transport calls it: the REST route and the gRPC
 * method of an operation name the same policy, and so does the use case both reach.
 */
export const INCIDENTS_POLICIES = definePolicies('incidents', {
  /** `GET /incidents`, gRPC `ListIncidents`: every face-match incident on a page is audited. */
  listIncidents: { callers: INCIDENT_READERS, regions: 'own', reveals: ['biometric', 'plate'] },
  /** `GET /incidents/:id`, gRPC `GetIncident` and `BatchGetIncidents`. */
  getIncident: { callers: INCIDENT_READERS, regions: 'own', reveals: ['biometric', 'plate'] },
  /** `GET /incidents/stream`: the live stream, each face-match incident it carries audited. */
  streamIncidents: {
    callers: ['operator', 'supervisor', 'admin', 'region-admin', 'analyst'],
    regions: 'own',
    reveals: ['biometric', 'plate'],
  },
  /** `POST /incidents`: an operator opens an incident. */
  openIncident: { callers: ON_SHIFT, regions: 'own', reveals: [] },
  /** `POST /incidents/:id/transitions`, gRPC `TransitionIncident`: the answer carries the incident. */
  transitionIncident: { callers: ON_SHIFT, regions: 'own', reveals: ['biometric', 'plate'] },
  /** `POST /incidents/:id/assignment`. */
  reassignIncident: { callers: ['supervisor'], regions: 'own', reveals: [] },
  /** `POST /citizen-reports`, gRPC `SubmitCitizenReport`: citizen channels and hotline operators. */
  submitCitizenReport: { callers: ['service', 'operator'], regions: 'own', reveals: [] },
  /** `safecity.citizen-reports.v1`: reports a citizen channel's gateway publishes. */
  takeInCitizenReport: { callers: ['service'], regions: 'own', reveals: [] },
  /** `GET /citizen-reports/:acknowledgementId/status`: the citizen, by the id they were given. */
  citizenReportStatus: { callers: 'anyone', regions: 'none', reveals: [] },
  /** `PUT /sops/:category`: the national checklist, which every region follows unless it has its own. */
  publishNationalSop: { callers: ['supervisor', 'admin'], regions: 'national', reveals: [] },
  /** `PUT /sops/:category/regions/:regionCode`: a region's own checklist, for its incidents only. */
  publishRegionalSop: { callers: ['supervisor', 'admin'], regions: 'own', reveals: [] },
  /** `GET /sops/:category`: the national checklist. */
  readNationalSop: { callers: SOP_READERS, regions: 'none', reveals: [] },
  /** `GET /sops/:category/regions/:regionCode`: the checklist a region's new incidents get. */
  readRegionalSop: { callers: SOP_READERS, regions: 'own', reveals: [] },
  /** `GET /incidents/:id/sop`. */
  readIncidentSop: { callers: SOP_READERS, regions: 'own', reveals: [] },
  /** `POST /incidents/:id/sop/steps/:stepId`. */
  completeSopStep: { callers: ON_SHIFT, regions: 'own', reveals: [] },
  /** `POST /units`. */
  createUnit: { callers: ['supervisor', 'admin'], regions: 'own', reveals: [] },
  /** `PATCH /units/:id`: the crew, or its vehicle's tracker through a service. */
  updateUnit: { callers: ['operator', 'supervisor', 'service'], regions: 'own', reveals: [] },
  /** `GET /units`. */
  listUnits: { callers: ['operator', 'supervisor', 'admin'], regions: 'own', reveals: [] },
  /** `safecity.matches.v1`, `safecity.alerts.v1`, `safecity.camera-status.v1`: what becomes incidents. */
  correlateSourceEvents: { callers: ['service'], regions: 'own', reveals: [] },
  /** `safecity.cameras.v1`: the local copy of the cameras correlation reads. */
  recordCameraChange: { callers: ['service'], regions: 'own', reveals: [] },
  /** `GET /supervisor/overview`: SLA breaches (incidents, face matches among them) and SOP deviations. */
  supervisorOverview: { callers: ['supervisor', 'admin'], regions: 'own', reveals: ['biometric', 'plate'] },
});
