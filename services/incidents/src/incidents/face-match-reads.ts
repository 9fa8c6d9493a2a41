import { incidents as contract } from '@safecity/contracts';
import type { AuditEntry, AuditLog, Principal } from '@safecity/security';
import type { EntityManager } from 'typeorm';
import type { IncidentRecord, SourceRecord } from './incident.model';

/** What an operations center reads an incident for when the caller states nothing else. */
export const DEFAULT_READ_PURPOSE = 'incident handling';

/** Who reads incidents, and why. */
export interface IncidentReader {
  actor: Principal;
  purpose: string;
}

const FACE = contract.IncidentSourceKind.INCIDENT_SOURCE_KIND_FACE_MATCH;

/**
 * A face match is biometric personal data: every disclosure of an incident that carries one — a
 * read, a page of a list, an answer to a step — is recorded in the audit log, with the reader, the
 * purpose and the legal basis of the watchlist entries that matched, in the transaction of the
 * read and in one insert however many there are. Incidents without a face match are not personal
 * data and leave no record.
 */
export async function auditFaceMatchReads(
  audit: AuditLog,
  m: EntityManager,
  reader: IncidentReader,
  incidents: readonly IncidentRecord[],
  sources: ReadonlyMap<string, readonly SourceRecord[]>,
): Promise<void> {
  const entries: AuditEntry[] = [];
  for (const incident of incidents) {
    const faces = (sources.get(incident.id) ?? []).filter((s) => s.kind === FACE);
    if (faces.length === 0) continue;
    entries.push(faceMatchRead(reader, incident, faces));
  }
  await audit.recordMany(m, entries);
}

/** The audit entry of one disclosure of an incident's face matches. */
export function faceMatchRead(
  reader: IncidentReader,
  incident: Pick<IncidentRecord, 'id' | 'regionCode'>,
  faces: readonly Pick<SourceRecord, 'refId' | 'watchlistEntryId' | 'details'>[],
): AuditEntry {
  const bases = [
    ...new Set(
      faces
        .map((s) => s.details['legalBasisRef'])
        .filter((b): b is string => typeof b === 'string' && b !== ''),
    ),
  ];
  return {
    actor: reader.actor,
    action: 'read',
    objectType: 'incident',
    objectId: incident.id,
    regionCode: incident.regionCode,
    purpose: reader.purpose,
    legalBasis: bases.length > 0 ? bases.join('; ').slice(0, 500) : 'face watchlist entry',
    details: {
      sourceKind: 'face-match',
      matchIds: faces.map((s) => s.refId),
      watchlistEntryIds: faces.map((s) => s.watchlistEntryId).filter((id) => id !== null),
    },
  };
}
