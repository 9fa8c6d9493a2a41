import type { Command } from '@safecity/security';
import type { RiskAssessmentDto } from '../../case.dto';

export interface AssessRisk extends Command {
  id: string;
  /** The professional's factors, level and rationale. */
  assessment: RiskAssessmentDto;
  /** Why the caller reads the person's or family's data back (`X-Purpose`). */
  purpose?: string;
}
