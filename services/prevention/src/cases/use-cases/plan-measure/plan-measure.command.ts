import type { Command } from '@safecity/security';
import type { PlanMeasureDto } from '../../case.dto';

export interface PlanMeasure extends Command {
  /** The case. */
  id: string;
  /** What is to be done, by which agency and person, by when. */
  measure: PlanMeasureDto;
  /** Why the caller reads the person's or family's data back (`X-Purpose`). */
  purpose?: string;
}
