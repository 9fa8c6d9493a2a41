import type { Command } from '@safecity/security';
import type { EnrolSubjectDto } from '../../face-entry.dto';

export interface EnrolFaceSubject extends Command {
  watchlistId: string;
  subject: EnrolSubjectDto;
}
