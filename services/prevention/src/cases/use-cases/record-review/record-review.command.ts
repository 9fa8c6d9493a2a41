import type { Command } from '@safecity/security';
import type { RecordReviewDto } from '../../case.dto';

export interface RecordReview extends Command {
  id: string;
  /** The review's conclusion. */
  review: RecordReviewDto;
  /** Why the caller reads the person's or family's data back (`X-Purpose`). */
  purpose?: string;
}
