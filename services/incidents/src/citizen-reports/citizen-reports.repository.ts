import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { StoredCitizenReport } from '../correlation/signals';

/** A report as it is stored: the correlated fields, and what only the intake keeps. */
export interface NewCitizenReport extends StoredCitizenReport {
  acknowledgementId: string;
  channelReportId: string;
  anonymous: boolean;
  consentToContact: boolean;
  receivedAt: Date;
  submittedBy: string;
}

/** A report already known by its channel's id, as its citizen was acknowledged. */
export interface KnownCitizenReport {
  id: string;
  incidentId: string | null;
  acknowledgementId: string;
  receivedAt: Date;
  state: number | null;
}

/** Citizen reports and their contacts, in the transaction they are handed. */
@Injectable()
export class CitizenReportsRepository {
  /** False when the channel already submitted a report with this id. */
  async insert(m: EntityManager, report: NewCitizenReport): Promise<boolean> {
    const inserted = (await m.query(
      `INSERT INTO citizen_reports (id, acknowledgement_id, channel, channel_report_id, category, description, lat,
         lon, address, region_code, attachments, anonymous, consent_to_contact, reported_at, received_at, submitted_by)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11::jsonb, $12, $13, $14, $15, $16)
       ON CONFLICT (channel, channel_report_id) DO NOTHING RETURNING id`,
      [
        report.id,
        report.acknowledgementId,
        report.channel,
        report.channelReportId,
        report.category,
        report.description,
        report.lat,
        report.lon,
        report.address,
        report.regionCode,
        JSON.stringify(report.attachments),
        report.anonymous,
        report.consentToContact,
        report.reportedAt,
        report.receivedAt,
        report.submittedBy,
      ],
    )) as { id: string }[];
    return inserted.length > 0;
  }

  /** Contact data is its own data class, kept shorter than the report (see the retention policies). */
  async addContact(
    m: EntityManager,
    report: Pick<NewCitizenReport, 'id' | 'regionCode' | 'receivedAt'>,
    reporterRef: string | null,
    contact: string | null,
  ): Promise<void> {
    await m.query(
      `INSERT INTO citizen_report_contacts (report_id, region_code, reporter_ref, contact, received_at)
       VALUES ($1, $2, $3, $4, $5)`,
      [report.id, report.regionCode, reporterRef, contact, report.receivedAt],
    );
  }

  /** The incident the report joined, or none; answers that incident's state. */
  async placeInIncident(
    m: EntityManager,
    reportId: string,
    incidentId: string | null,
  ): Promise<number | null> {
    await m.query('UPDATE citizen_reports SET incident_id = $2 WHERE id = $1', [reportId, incidentId]);
    if (!incidentId) return null;
    const [incident] = (await m.query('SELECT state FROM incidents WHERE id = $1', [incidentId])) as {
      state: number;
    }[];
    return incident?.state ?? null;
  }

  /** The report a channel submitted under this id, if the caller's regions hold it. */
  async findByChannelId(
    m: EntityManager,
    channel: number,
    channelReportId: string,
  ): Promise<KnownCitizenReport | null> {
    const [row] = (await m.query(
      `SELECT r.id, r.incident_id AS "incidentId", r.acknowledgement_id AS "acknowledgementId",
              r.received_at AS "receivedAt", i.state
         FROM citizen_reports r LEFT JOIN incidents i ON i.id = r.incident_id
        WHERE r.channel = $1 AND r.channel_report_id = $2`,
      [channel, channelReportId],
    )) as KnownCitizenReport[];
    return row ?? null;
  }

  /**
   * What a citizen may learn of a report by its acknowledgement id: when it was received, its
   * incident's state and when that state was reached (the incident's last change of state).
   */
  async progressOf(
    m: EntityManager,
    acknowledgementId: string,
  ): Promise<{ acknowledgementId: string; receivedAt: Date; state: number | null; updatedAt: Date } | null> {
    const [row] = (await m.query(
      `SELECT r.acknowledgement_id AS "acknowledgementId", r.received_at AS "receivedAt", i.state,
              greatest(r.received_at,
                       (SELECT max(h.at) FROM incident_history h WHERE h.incident_id = i.id)) AS "updatedAt"
         FROM citizen_reports r LEFT JOIN incidents i ON i.id = r.incident_id
        WHERE r.acknowledgement_id = $1`,
      [acknowledgementId],
    )) as { acknowledgementId: string; receivedAt: Date; state: number | null; updatedAt: Date }[];
    return row ?? null;
  }
}
