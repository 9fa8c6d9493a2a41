import { resolve } from 'node:path';
import { DEFAULT_DATA_DIR } from './config';

/**
 * The token command for this platform, as the start banner prints it: with a data directory other
 * than the default, tokens must be signed with the issuer key kept there, and DATA_DIR tells
 * `npm run token` where that is.
 */
export function tokenCommand(dataDir: string): string {
  const dir = resolve(dataDir);
  if (dir === resolve(DEFAULT_DATA_DIR)) return 'npm run -s token';
  const quoted = /^[\w./-]+$/.test(dir) ? dir : `'${dir.replace(/'/g, `'\\''`)}'`;
  return `DATA_DIR=${quoted} npm run -s token`;
}
