import type { Command } from '@safecity/security';
import type { EnrolmentPhotoDto } from '../../photo-enrolment/photo-enrolment.dto';

export interface AddEnrolmentPhoto extends Command {
  entryId: string;
  photo: EnrolmentPhotoDto;
}
