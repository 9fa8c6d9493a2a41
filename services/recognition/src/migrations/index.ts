import { InitialSchema1764000000000 } from './1764000000000-initial-schema';
import { Security1764400000000 } from './1764400000000-security';
import { Ingestion1764600000000 } from './1764600000000-ingestion';
import { Watchlists1764700000000 } from './1764700000000-watchlists';
import { IngestionWritePath1764800000000 } from './1764800000000-ingestion-write-path';
import { FacePictures1764950000000 } from './1764950000000-face-pictures';
import { FaceEnrolmentPhotos1765030000000 } from './1765030000000-face-enrolment-photos';
import { HotlistReasonNames1765100000000 } from './1765100000000-hotlist-reason-names';

/** In order of application. */
export const recognitionMigrations = [
  InitialSchema1764000000000,
  Security1764400000000,
  Ingestion1764600000000,
  Watchlists1764700000000,
  IngestionWritePath1764800000000,
  FacePictures1764950000000,
  FaceEnrolmentPhotos1765030000000,
  HotlistReasonNames1765100000000,
];
