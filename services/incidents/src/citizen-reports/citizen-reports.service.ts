import { randomBytes, randomUUID } from 'node:crypto';
import { HttpException, HttpStatus, Inject, Injectable, NotFoundException } from '@nestjs/common';
import { incidents as contract, EventTypes, Topics } from '@safecity/contracts';
import { AuditLog, RegionScope, TokenBucketRateLimiter, UseCase, type Principal } from '@safecity/security';
import { UnprocessableFieldException } from '@safecity/service-kit';
import type { EntityManager } from 'typeorm';
import { Outbox } from '@safecity/messaging';
import { Correlator } from '../correlation/correlator';
import { citizenSignal, type StoredCitizenReport } from '../correlation/signals';
import { CategoryNames, ChannelNames } from '../incidents/enum-names';
import { INCIDENTS_POLICIES as P } from '../incidents.policies';
import { IncidentsService } from '../incidents/incidents.service';
import type { CitizenReportDto } from './citizen-report.dto';

const S = contract.IncidentState;

/**
 * What a citizen is told about their report: how far its incident has come, nothing about the
 * operation (no incident number, unit, operator, reason or other reports).
 */
export const CITIZEN_REPORT_STATUSES = [
  'received',
  'incident-opened',
  'in-progress',
  'dispatched',
  'resolved',
  'closed',
  'dismissed',
] as const;
export type CitizenReportStatus = (typeof CITIZEN_REPORT_STATUSES)[number];

/** The status of a report whose incident is in `state`; `received` while it has none. */
export function citizenStatusOf(state: number | null): CitizenReportStatus {
  switch (state) {
    case S.INCIDENT_STATE_NEW:
      return 'incident-opened';
    case S.INCIDENT_STATE_VERIFIED:
      return 'in-progress';
    // A crew on its way and a crew on the scene are one step for the citizen.
    case S.INCIDENT_STATE_DISPATCHED:
    case S.INCIDENT_STATE_ON_SCENE:
      return 'dispatched';
    case S.INCIDENT_STATE_RESOLVED:
      return 'resolved';
    case S.INCIDENT_STATE_CLOSED:
      return 'closed';
    case S.INCIDENT_STATE_DISMISSED:
      return 'dismissed';
    default:
      return 'received';
  }
}

export interface Acknowledgement {
  acknowledgementId: string;
  status: CitizenReportStatus;
  receivedAt: string;
  /** True when the channel re-posted a report it had already submitted. */
  duplicate: boolean;
}

/** 429: one citizen id, or one source of anonymous reports, sends more than any emergency needs. */
export class CitizenFloodException extends HttpException {
  constructor(
    readonly retryAfterSeconds: number,
    from = 'this citizen',
  ) {
    super(
      {
        statusCode: 429,
        error: 'Too Many Requests',
        message: `too many reports from ${from}; retry in ${retryAfterSeconds} s`,
        retryAfterSeconds,
      },
      HttpStatus.TOO_MANY_REQUESTS,
    );
  }
}

/** Reports one citizen id may send at once, and how fast that allowance comes back. */
export interface CitizenFloodLimit {
  burst: number;
  perMinute: number;
}

export const DEFAULT_CITIZEN_FLOOD_LIMIT: CitizenFloodLimit = { burst: 5, perMinute: 1 };

/**
 * Reports without a citizen id have nobody to count against, so they are counted per source: the
 * channel and the identity that submits them (a channel's gateway, a hotline operator).
 */
export const ANONYMOUS_REPORTS_LIMITER = Symbol('ANONYMOUS_REPORTS_LIMITER');
export const DEFAULT_ANONYMOUS_REPORTS_LIMIT: CitizenFloodLimit = { burst: 60, perMinute: 30 };

/** Intake of citizen reports: acknowledged at once, correlated into incidents in the same step. */
@Injectable()
export class CitizenReportsService {
  constructor(
    private readonly incidents: IncidentsService,
    private readonly correlator: Correlator,
    private readonly outbox: Outbox,
    private readonly audit: AuditLog,
    private readonly limiter: TokenBucketRateLimiter,
    @Inject(ANONYMOUS_REPORTS_LIMITER) private readonly anonymousLimiter: TokenBucketRateLimiter,
  ) {}

  @UseCase(P.submitCitizenReport)
  async submit(
    dto: CitizenReportDto,
    submitter: Principal,
  ): Promise<{ acknowledgement: Acknowledgement; reportId: string; incidentId: string | null }> {
    const scope = RegionScope.of(submitter);
    if (!scope.includes(dto.regionCode)) {
      throw new UnprocessableFieldException(
        'regionCode',
        `region ${dto.regionCode} is not served by this channel`,
      );
    }
    if (dto.contact && !dto.consentToContact) {
      throw new UnprocessableFieldException('contact', 'a contact is kept only with consent to contact');
    }
    const channel = ChannelNames.fromName(dto.channel)!;
    if (dto.citizenId) {
      const decision = this.limiter.take(`${channel}:${dto.citizenId}`);
      if (!decision.allowed) {
        throw new CitizenFloodException(decision.retryAfterSeconds);
      }
    } else {
      const decision = this.anonymousLimiter.take(`${channel}:${submitter.kind}:${submitter.subject}`);
      if (!decision.allowed) {
        throw new CitizenFloodException(decision.retryAfterSeconds, 'this source without a citizen id');
      }
    }
    return this.incidents.inScope(scope, (m) => this.takeIn(m, dto, submitter, { publish: true }));
  }

  /**
   * Stores a validated report and correlates it, in the caller's scoped transaction. Reports that
   * arrive as events from a channel gateway keep the gateway's id and are not published again.
   */
  async takeIn(
    m: EntityManager,
    dto: CitizenReportDto,
    submitter: Principal,
    options: { publish: boolean; reportId?: string },
  ): Promise<{ acknowledgement: Acknowledgement; reportId: string; incidentId: string | null }> {
    const channel = ChannelNames.fromName(dto.channel)!;
    const report: StoredCitizenReport & { acknowledgementId: string; receivedAt: Date } = {
      id: options.reportId ?? randomUUID(),
      acknowledgementId: `ACK-${randomBytes(15).toString('base64url')}`,
      category: CategoryNames.fromName(dto.category)!,
      description: dto.text,
      lat: dto.location?.lat ?? null,
      lon: dto.location?.lon ?? null,
      address: dto.address ?? '',
      regionCode: dto.regionCode,
      reportedAt: new Date(dto.time),
      channel,
      attachments: (dto.media ?? []).map((media) => ({ uri: media.uri, contentType: media.contentType })),
      receivedAt: new Date(),
    };
    const inserted = (await m.query(
      `INSERT INTO citizen_reports (id, acknowledgement_id, channel, channel_report_id, category, description, lat,
         lon, address, region_code, attachments, anonymous, consent_to_contact, reported_at, received_at, submitted_by)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11::jsonb, $12, $13, $14, $15, $16)
       ON CONFLICT (channel, channel_report_id) DO NOTHING RETURNING id`,
      [
        report.id,
        report.acknowledgementId,
        channel,
        dto.channelReportId,
        report.category,
        report.description,
        report.lat,
        report.lon,
        report.address,
        report.regionCode,
        JSON.stringify(report.attachments),
        !dto.citizenId,
        dto.consentToContact ?? false,
        report.reportedAt,
        report.receivedAt,
        submitter.subject,
      ],
    )) as { id: string }[];
    if (inserted.length === 0) {
      const { reportId, incidentId, ...known } = await this.existing(m, channel, dto.channelReportId);
      return { acknowledgement: { ...known, duplicate: true }, reportId, incidentId };
    }
    const contact = dto.consentToContact ? (dto.contact ?? null) : null;
    if (dto.citizenId || contact) {
      // Contact data is its own data class, kept shorter than the report (see the retention policies).
      await m.query(
        `INSERT INTO citizen_report_contacts (report_id, region_code, reporter_ref, contact, received_at)
         VALUES ($1, $2, $3, $4, $5)`,
        [report.id, report.regionCode, dto.citizenId ?? null, contact, report.receivedAt],
      );
    }
    const outcome = await this.correlator.ingest(m, [citizenSignal(report)], submitter);
    const incidentId = outcome.placed.get(report.id) ?? null;
    await m.query('UPDATE citizen_reports SET incident_id = $2 WHERE id = $1', [report.id, incidentId]);
    // A report may join an incident that is already being handled: the citizen sees how far.
    const [incident] = incidentId
      ? ((await m.query('SELECT state FROM incidents WHERE id = $1', [incidentId])) as { state: number }[])
      : [];
    const state = incident?.state ?? null;
    if (options.publish) await this.publish(m, report, dto);
    await this.audit.record(m, {
      actor: submitter,
      action: 'create',
      objectType: 'citizen-report',
      objectId: report.id,
      regionCode: report.regionCode,
      details: {
        channel: dto.channel,
        incidentId,
        contactKept: Boolean(dto.consentToContact && dto.contact),
      },
    });
    return {
      acknowledgement: {
        acknowledgementId: report.acknowledgementId,
        status: citizenStatusOf(state),
        receivedAt: report.receivedAt.toISOString(),
        duplicate: false,
      },
      reportId: report.id,
      incidentId,
    };
  }

  /**
   * The citizen's view of their report, found by its acknowledgement id alone: its status and
   * when that status was reached (the report's receipt, or its incident's last change of state
   * since), never the incident's other changes.
   */
  @UseCase(P.citizenReportStatus)
  async status(acknowledgementId: string) {
    const rows = await this.incidents.inScope(RegionScope.allRegions(), (m) =>
      m.query(
        `SELECT r.acknowledgement_id AS "acknowledgementId", r.received_at AS "receivedAt", i.state,
                greatest(r.received_at,
                         (SELECT max(h.at) FROM incident_history h WHERE h.incident_id = i.id)) AS "updatedAt"
           FROM citizen_reports r LEFT JOIN incidents i ON i.id = r.incident_id
          WHERE r.acknowledgement_id = $1`,
        [acknowledgementId],
      ),
    );
    const row = rows[0] as
      { acknowledgementId: string; receivedAt: Date; state: number | null; updatedAt: Date } | undefined;
    if (!row) throw new NotFoundException('no report with this acknowledgement id');
    return {
      acknowledgementId: row.acknowledgementId,
      status: citizenStatusOf(row.state),
      receivedAt: new Date(row.receivedAt).toISOString(),
      updatedAt: new Date(row.updatedAt).toISOString(),
    };
  }

  private async existing(m: EntityManager, channel: number, channelReportId: string) {
    const [row] = (await m.query(
      `SELECT r.id, r.incident_id AS "incidentId", r.acknowledgement_id AS "acknowledgementId",
              r.received_at AS "receivedAt", i.state
         FROM citizen_reports r LEFT JOIN incidents i ON i.id = r.incident_id
        WHERE r.channel = $1 AND r.channel_report_id = $2`,
      [channel, channelReportId],
    )) as {
      id: string;
      incidentId: string | null;
      acknowledgementId: string;
      receivedAt: Date;
      state: number | null;
    }[];
    if (!row) {
      // The same channel id exists in a region outside this caller's scope.
      throw new UnprocessableFieldException(
        'channelReportId',
        'this report id is already used in another region',
      );
    }
    return {
      reportId: row.id,
      incidentId: row.incidentId,
      acknowledgementId: row.acknowledgementId,
      status: citizenStatusOf(row.state),
      receivedAt: new Date(row.receivedAt).toISOString(),
    };
  }

  private async publish(
    m: EntityManager,
    report: StoredCitizenReport & { receivedAt: Date },
    dto: CitizenReportDto,
  ) {
    const message = contract.CitizenReportSubmitted.fromPartial({
      report: {
        id: report.id,
        channel: report.channel,
        channelReportId: dto.channelReportId,
        category: report.category,
        description: report.description,
        location:
          report.lat !== null && report.lon !== null ? { lat: report.lat, lon: report.lon } : undefined,
        address: report.address,
        regionCode: report.regionCode,
        attachments: report.attachments.map((a) => ({ kind: 6, uri: a.uri, contentType: a.contentType })),
        reporterRef: dto.citizenId ?? '',
        anonymous: !dto.citizenId,
        consentToContact: dto.consentToContact ?? false,
        reportedAt: report.reportedAt,
        receivedAt: report.receivedAt,
      },
    });
    await this.outbox.add(m, {
      id: report.id,
      topic: Topics.CitizenReports,
      key: report.id,
      type: EventTypes.CitizenReportSubmitted,
      payload: contract.CitizenReportSubmitted.encode(message).finish(),
      subject: `citizen-report/${report.id}`,
      region: report.regionCode,
    });
  }
}
