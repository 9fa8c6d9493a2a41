import type { Command } from '@safecity/security';
import type { DetectionCandidate } from '../../candidate';

/** What the platform's own analytics saw on cameras of one video system. */
export interface IngestPlatformAnalytics extends Command {
  videoSystemId: string;
  regionCode: string;
  candidates: DetectionCandidate[];
}
