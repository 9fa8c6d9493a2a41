import type { Command } from '@safecity/security';

/** An inventory file as uploaded; its format from the content type. */
export interface ImportFile {
  format: 'csv' | 'json';
  bytes: Uint8Array;
}

export interface ImportCameras extends Command {
  videoSystemId: string;
  file: ImportFile;
}

export interface ImportSummary {
  created: number;
  updated: number;
  unchanged: number;
  total: number;
}
