import { randomBytes, randomUUID } from 'node:crypto';
import { HttpException, HttpStatus, Injectable, NotFoundException } from '@nestjs/common';
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

/** What a citizen is told about their report: its progress, nothing about the operation. */
export type CitizenReportStatus = 'received' | 'in-progress' | 'resolved' | 'closed-without-action';

export function citizenStatusOf(state: number | null): CitizenReportStatus {
  switch (state) {
    case S.INCIDENT_STATE_VERIFIED:
    case S.INCIDENT_STATE_DISPATCHED:
    case S.INCIDENT_STATE_ON_SCENE:
      return 'in-progress';
    case S.INCIDENT_STATE_RESOLVED:
    case S.INCIDENT_STATE_CLOSED:
      return 'resolved';
    case S.INCIDENT_STATE_DISMISSED:
      return 'closed-without-action';
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

/** 429: one citizen id sends more reports than any real emergency needs. */
export class CitizenFloodException extends HttpException {
  constructor(readonly retryAfterSeconds: number) {
    super(
      {
        statusCode: 429,
        error: 'Too Many Requests',
        message: `too many reports from this citizen; retry in ${retryAfterSeconds} s`,
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

/** Intake of citizen reports: acknowledged at once, correlated into incidents in the same step. */
@Injectable()
export class CitizenReportsService {
  constructor(
    private readonly incidents: IncidentsService,
    private readonly correlator: Correlator,
    private readonly outbox: Outbox,
    private readonly audit: AuditLog,
    private readonly limiter: TokenBucketRateLimiter,
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
      lat: dto.location.lat,
      lon: dto.location.lon,
      address: dto.address ?? '',
      regionCode: dto.regionCode,
      reportedAt: new Date(dto.time),
      channel,
      attachments: (dto.media ?? []).map((media) => ({ uri: media.uri, contentType: media.contentType })),
      receivedAt: new Date(),
    };
    const inserted = (await m.query(
      `INSERT INTO citizen_reports (id, acknowledgement_id, channel, channel_report_id, category, description, lat,
         lon, address, region_code, attachments, reporter_ref, anonymous, consent_to_contact, contact, reported_at,
         received_at, submitted_by)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11::jsonb, $12, $13, $14, $15, $16, $17, $18)
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
        dto.citizenId ?? null,
        !dto.citizenId,
        dto.consentToContact ?? false,
        dto.consentToContact ? (dto.contact ?? null) : null,
        report.reportedAt,
        report.receivedAt,
        submitter.subject,
      ],
    )) as { id: string }[];
    if (inserted.length === 0) {
      const { reportId, incidentId, ...known } = await this.existing(m, channel, dto.channelReportId);
      return { acknowledgement: { ...known, duplicate: true }, reportId, incidentId };
    }
    const outcome = await this.correlator.ingest(m, [citizenSignal(report)], submitter);
    const incidentId = outcome.placed.get(report.id) ?? null;
    await m.query('UPDATE citizen_reports SET incident_id = $2 WHERE id = $1', [report.id, incidentId]);
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
        status: 'received' as const,
        receivedAt: report.receivedAt.toISOString(),
        duplicate: false,
      },
      reportId: report.id,
      incidentId,
    };
  }

  /** The citizen's view of their report, found by its acknowledgement id alone. */
  @UseCase(P.citizenReportStatus)
  async status(acknowledgementId: string) {
    const rows = await this.incidents.inScope(RegionScope.allRegions(), (m) =>
      m.query(
        `SELECT r.acknowledgement_id AS "acknowledgementId", r.received_at AS "receivedAt", i.state,
                coalesce(i.updated_at, r.received_at) AS "updatedAt"
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
        location: { lat: report.lat, lon: report.lon },
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
