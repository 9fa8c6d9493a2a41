import type { Command } from '@safecity/security';
import type { EnrolSubjectFromPhotoDto } from '../../photo-enrolment/photo-enrolment.dto';

export interface EnrolSubjectFromPhoto extends Command {
  watchlistId: string;
  /** The subject's fields and the photo (base64); `keepPhoto` false drops it after enrolment. */
  subject: EnrolSubjectFromPhotoDto;
}
