import { parseArgs } from 'node:util';
import { verifyAuditChain } from './verify-chain';

const USAGE = `Verifies a service's hash-chained audit log.

usage: npm run audit:verify -- --schema <schema> [--table audit_log] [--anchor <seq>:<hash>...]

  connects to DATABASE_URL (or --url); exit code 0 when the chain is intact, 1 when it is broken
`;

export interface VerifyCliIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  env: Record<string, string | undefined>;
}

const defaultIo: VerifyCliIo = {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  env: process.env,
};

/** Returns the process exit code. */
export async function main(argv: string[], io: VerifyCliIo = defaultIo): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        schema: { type: 'string' },
        table: { type: 'string' },
        url: { type: 'string' },
        anchor: { type: 'string', multiple: true },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
    }));
  } catch (error) {
    io.stderr(`${(error as Error).message}\n\n${USAGE}`);
    return 2;
  }
  if (values.help) {
    io.stdout(USAGE);
    return 0;
  }
  const url = values.url ?? io.env.DATABASE_URL;
  if (!values.schema || !url) {
    io.stderr(`${!values.schema ? '--schema is required' : 'DATABASE_URL is not set'}\n\n${USAGE}`);
    return 2;
  }
  const anchors = [];
  for (const anchor of values.anchor ?? []) {
    const match = /^(\d+):([0-9a-f]{64})$/.exec(anchor);
    if (!match) {
      io.stderr(`--anchor ${anchor}: expected <seq>:<64 hex digits>\n`);
      return 2;
    }
    anchors.push({ seq: Number(match[1]), hash: match[2] as string });
  }
  try {
    const result = await verifyAuditChain(url, values.schema, { table: values.table, anchors });
    io.stdout(`${JSON.stringify({ schema: values.schema, ...result })}\n`);
    if (!result.ok)
      io.stderr(`audit chain of ${values.schema} is BROKEN at ${result.firstBrokenSeq}: ${result.reason}\n`);
    return result.ok ? 0 : 1;
  } catch (error) {
    io.stderr(`audit verification failed: ${(error as Error).message}\n`);
    return 2;
  }
}

if (require.main === module) {
  main(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
}
