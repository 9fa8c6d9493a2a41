import type { Command } from '@safecity/security';
import type { IssueIngestKeyDto } from '../../keys/ingest-keys';

export interface IssueIngestKey extends Command {
  videoSystemId: string;
  key: IssueIngestKeyDto;
}
