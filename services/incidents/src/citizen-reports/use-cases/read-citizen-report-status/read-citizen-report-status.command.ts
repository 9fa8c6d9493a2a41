import type { Command, Principal } from '@safecity/security';

/** Whoever asks: the citizen signs in nowhere, the acknowledgement id is their key. */
export const CITIZEN: Principal = { kind: 'user', subject: 'citizen', roles: [], regions: [] };

export interface ReadCitizenReportStatus extends Command {
  acknowledgementId: string;
}
