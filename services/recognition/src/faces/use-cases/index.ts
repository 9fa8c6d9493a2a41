import { AddEnrolmentPhotoUseCase } from './add-enrolment-photo/add-enrolment-photo.use-case';
import { AddFaceTemplateUseCase } from './add-face-template/add-face-template.use-case';
import { EnrolFaceSubjectUseCase } from './enrol-face-subject/enrol-face-subject.use-case';
import { EnrolSubjectFromPhotoUseCase } from './enrol-subject-from-photo/enrol-subject-from-photo.use-case';
import { GetFaceEntryUseCase } from './get-face-entry/get-face-entry.use-case';
import { ListFaceSubjectsUseCase } from './list-face-subjects/list-face-subjects.use-case';
import { ReenrolFaceEntriesUseCase } from './reenrol-face-entries/reenrol-face-entries.use-case';
import { RemoveFaceEntryUseCase } from './remove-face-entry/remove-face-entry.use-case';
import { UpdateFaceEntryUseCase } from './update-face-entry/update-face-entry.use-case';

export {
  AddEnrolmentPhotoUseCase,
  AddFaceTemplateUseCase,
  EnrolFaceSubjectUseCase,
  EnrolSubjectFromPhotoUseCase,
  GetFaceEntryUseCase,
  ListFaceSubjectsUseCase,
  ReenrolFaceEntriesUseCase,
  RemoveFaceEntryUseCase,
  UpdateFaceEntryUseCase,
};

/** Every operation on the subjects of face watchlists, photo enrolment included. */
export const FACE_ENTRY_USE_CASES = [
  EnrolFaceSubjectUseCase,
  ListFaceSubjectsUseCase,
  GetFaceEntryUseCase,
  UpdateFaceEntryUseCase,
  AddFaceTemplateUseCase,
  RemoveFaceEntryUseCase,
  EnrolSubjectFromPhotoUseCase,
  AddEnrolmentPhotoUseCase,
  ReenrolFaceEntriesUseCase,
];
