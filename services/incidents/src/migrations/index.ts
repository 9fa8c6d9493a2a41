import { InitialSchema1764000000000 } from './1764000000000-initial-schema';
import { Security1764000100000 } from './1764000100000-security';
import { CitizenReports1764000200000 } from './1764000200000-citizen-reports';
import { Operations1764000300000 } from './1764000300000-operations';
import { RegionalSops1764000460000 } from './1764000460000-regional-sops';
import { VisualCheckMismatch1764000600000 } from './1764000600000-visual-check-mismatch';
import { IncidentRetention1764000610000 } from './1764000610000-incident-retention';
import { CitizenReportAddress1764000620000 } from './1764000620000-citizen-report-address';

/** In order of application. */
export const incidentsMigrations = [
  InitialSchema1764000000000,
  Security1764000100000,
  CitizenReports1764000200000,
  Operations1764000300000,
  RegionalSops1764000460000,
  VisualCheckMismatch1764000600000,
  IncidentRetention1764000610000,
  CitizenReportAddress1764000620000,
];
