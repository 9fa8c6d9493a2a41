import type { incidents as contract } from '@safecity/contracts';
import { CategoryNames, ChannelNames } from '../incidents/enum-names';
import { CitizenReportDto } from './citizen-report.dto';
import { UnprocessableBodyPipe } from './unprocessable-body.pipe';

/**
 * A report from the contract (gRPC, or an event of a channel gateway), checked by the same rules
 * as the REST intake; throws the intake's 422 with every problem.
 */
export function citizenReportDtoFrom(report: contract.CitizenReport): Promise<CitizenReportDto> {
  return new UnprocessableBodyPipe(CitizenReportDto).transform({
    channel: ChannelNames.toName(report.channel),
    channelReportId: report.channelReportId,
    category: CategoryNames.toName(report.category),
    text: report.description,
    location: report.location ? { lat: report.location.lat, lon: report.location.lon } : undefined,
    address: report.address || undefined,
    regionCode: report.regionCode,
    time: (report.reportedAt ?? new Date()).toISOString(),
    media: report.attachments.map((a) => ({ uri: a.uri, contentType: a.contentType })),
    citizenId: report.reporterRef || undefined,
    consentToContact: report.consentToContact,
  });
}
