import { randomBytes, randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { incidents as contract, EventTypes, Topics } from '@safecity/contracts';
import { Outbox } from '@safecity/messaging';
import { AuditLog, type Principal } from '@safecity/security';
import { InvalidError } from '@safecity/service-kit';
import type { EntityManager } from 'typeorm';
import { Correlator } from '../correlation/correlator';
import { citizenSignal } from '../correlation/signals';
import { CategoryNames, ChannelNames } from '../incidents/enum-names';
import type { CitizenReportDto } from './citizen-report.dto';
import { citizenStatusOf, type TakenIn } from './citizen-report-status';
import { CitizenReportsRepository, type NewCitizenReport } from './citizen-reports.repository';

/**
 * What every intake of a citizen report does, over REST, gRPC or from a channel gateway's event:
 * the report is stored (a channel's re-post is answered with the acknowledgement it was given),
 * its contact kept only with consent, correlated into an incident, audited; and announced on
 * `safecity.citizen-reports.v1` unless it came from there.
 */
@Injectable()
export class CitizenReportIntake {
  constructor(
    private readonly reports: CitizenReportsRepository,
    private readonly correlator: Correlator,
    private readonly outbox: Outbox,
    private readonly audit: AuditLog,
  ) {}

  /** In the caller's scoped transaction. Reports from a gateway keep the gateway's id. */
  async takeIn(
    m: EntityManager,
    dto: CitizenReportDto,
    submitter: Principal,
    options: { publish: boolean; reportId?: string },
  ): Promise<TakenIn> {
    const channel = ChannelNames.fromName(dto.channel)!;
    const report: NewCitizenReport = {
      id: options.reportId ?? randomUUID(),
      acknowledgementId: `ACK-${randomBytes(15).toString('base64url')}`,
      channelReportId: dto.channelReportId,
      category: CategoryNames.fromName(dto.category)!,
      description: dto.text,
      lat: dto.location?.lat ?? null,
      lon: dto.location?.lon ?? null,
      address: dto.address ?? '',
      regionCode: dto.regionCode,
      reportedAt: new Date(dto.time),
      channel,
      attachments: (dto.media ?? []).map((media) => ({ uri: media.uri, contentType: media.contentType })),
      anonymous: !dto.citizenId,
      consentToContact: dto.consentToContact ?? false,
      receivedAt: new Date(),
      submittedBy: submitter.subject,
    };
    if (!(await this.reports.insert(m, report))) {
      const known = await this.reports.findByChannelId(m, channel, dto.channelReportId);
      if (!known) {
        // The same channel id exists in a region outside this caller's scope.
        throw new InvalidError({
          field: 'channelReportId',
          reason: 'this report id is already used in another region',
        });
      }
      return {
        acknowledgement: {
          acknowledgementId: known.acknowledgementId,
          status: citizenStatusOf(known.state),
          receivedAt: new Date(known.receivedAt).toISOString(),
          duplicate: true,
        },
        reportId: known.id,
        incidentId: known.incidentId,
      };
    }
    const contact = dto.consentToContact ? (dto.contact ?? null) : null;
    if (dto.citizenId || contact) await this.reports.addContact(m, report, dto.citizenId ?? null, contact);
    const outcome = await this.correlator.ingest(m, [citizenSignal(report)], submitter);
    const incidentId = outcome.placed.get(report.id) ?? null;
    // A report may join an incident that is already being handled: the citizen sees how far.
    const state = await this.reports.placeInIncident(m, report.id, incidentId);
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

  private async publish(m: EntityManager, report: NewCitizenReport, dto: CitizenReportDto) {
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
