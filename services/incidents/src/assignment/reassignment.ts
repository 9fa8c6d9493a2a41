import { incidents as contract } from '@safecity/contracts';
import { OPEN_STATES } from '../lifecycle/state-machine';

/** Who is responsible for an incident: an operator and an operations center, either possibly none. */
export interface Assignment {
  assigneeId: string | null;
  operationsCenterId: string | null;
}

export interface ReassignmentRequest {
  assigneeId?: string;
  operationsCenterId?: string;
  reason: string;
}

export type ReassignmentCheck =
  | { ok: true; next: Assignment }
  | { ok: false; kind: 'unprocessable' | 'conflict'; field: string; message: string };

/**
 * Whether a supervisor may hand `current` over as requested: only a still open incident, to a
 * center of the incident's own region, with a reason, and only when something actually changes.
 */
export function checkReassignment(
  state: contract.IncidentState,
  current: Assignment,
  request: ReassignmentRequest,
  centersOfRegion: readonly string[],
): ReassignmentCheck {
  if (!OPEN_STATES.includes(state)) {
    return {
      ok: false,
      kind: 'conflict',
      field: 'state',
      message: 'a finished incident is no longer handed over',
    };
  }
  if (request.reason.trim() === '') {
    return { ok: false, kind: 'unprocessable', field: 'reason', message: 'a handover needs a reason' };
  }
  if (request.assigneeId === undefined && request.operationsCenterId === undefined) {
    return {
      ok: false,
      kind: 'unprocessable',
      field: 'assigneeId',
      message: 'name the operator, the operations center or both',
    };
  }
  if (request.operationsCenterId !== undefined && !centersOfRegion.includes(request.operationsCenterId)) {
    return {
      ok: false,
      kind: 'unprocessable',
      field: 'operationsCenterId',
      message: 'not an operations center of the incident’s region',
    };
  }
  const next: Assignment = {
    assigneeId: request.assigneeId === undefined ? current.assigneeId : request.assigneeId || null,
    operationsCenterId: request.operationsCenterId ?? current.operationsCenterId,
  };
  if (next.assigneeId === current.assigneeId && next.operationsCenterId === current.operationsCenterId) {
    return {
      ok: false,
      kind: 'unprocessable',
      field: request.operationsCenterId !== undefined ? 'operationsCenterId' : 'assigneeId',
      message: 'the incident is already assigned so',
    };
  }
  return { ok: true, next };
}
