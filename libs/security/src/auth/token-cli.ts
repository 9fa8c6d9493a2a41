import { parseArgs } from 'node:util';
import { isRole, PLATFORM_ROLES, type Role } from '../principal';
import { regionCode } from '../regions';
import {
  DEFAULT_AUDIENCE,
  DEFAULT_ISSUER_DIR,
  hasIssuerKey,
  issuerDirectoryIn,
  LocalIssuer,
} from './local-issuer';

const USAGE = `Prints a token signed by the embedded default's local issuer.

usage: npm run token -- --role <role> [--role <role>...] [--region <code|name|all>...]
                        [--ttl <seconds>] [--sub <subject>] [--name <display name>]
                        [--aud <audience>] [--issuer-dir <dir>]

  --role     one of ${PLATFORM_ROLES.join(', ')} (repeat or comma-separate)
  --region   ALA, AST, ... or a name such as almaty, astana, shymkent, aktobe; "all" for every region
  --ttl      lifetime in seconds (default 3600)
  --sub      token subject (default dev-<first role>)
  key directory: --issuer-dir, else SAFECITY_ISSUER_DIR, else $DATA_DIR/issuer (the data directory
                 npm start was given), else ${DEFAULT_ISSUER_DIR}
`;

/** The key directory of the platform this token is for (see USAGE). */
export function issuerDirectoryFor(
  issuerDir: string | undefined,
  env: Record<string, string | undefined>,
): string {
  if (issuerDir) return issuerDir;
  if (env.SAFECITY_ISSUER_DIR) return env.SAFECITY_ISSUER_DIR;
  if (env.DATA_DIR) return issuerDirectoryIn(env.DATA_DIR);
  return DEFAULT_ISSUER_DIR;
}

export interface TokenCliIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  env: Record<string, string | undefined>;
}

const defaultIo: TokenCliIo = {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  env: process.env,
};

/** Returns the process exit code. */
export async function main(argv: string[], io: TokenCliIo = defaultIo): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        role: { type: 'string', multiple: true },
        region: { type: 'string', multiple: true },
        ttl: { type: 'string' },
        sub: { type: 'string' },
        name: { type: 'string' },
        aud: { type: 'string' },
        'issuer-dir': { type: 'string' },
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
  try {
    const roles = splitAll(values.role);
    if (roles.length === 0) throw new UsageError('at least one --role is needed');
    const bad = roles.filter((role) => !isRole(role));
    if (bad.length > 0) throw new UsageError(`unknown role(s) ${bad.join(', ')}`);
    const regionInputs = splitAll(values.region);
    const regions: string[] | 'all' | undefined = regionInputs.some((r) =>
      ['all', '*'].includes(r.toLowerCase()),
    )
      ? 'all'
      : regionInputs.length > 0
        ? [...new Set(regionInputs.map((input) => regionCode(input)))]
        : undefined;
    const ttlSeconds = values.ttl === undefined ? 3600 : Number(values.ttl);
    if (!Number.isInteger(ttlSeconds) || ttlSeconds <= 0)
      throw new UsageError('--ttl must be a positive integer');
    const directory = issuerDirectoryFor(values['issuer-dir'], io.env);
    if (!hasIssuerKey(directory)) {
      // A fresh key signs tokens no running platform trusts: say so rather than fail with 401 later.
      io.stderr(
        `no issuer key in ${directory}: a new one was made. A platform started with another ` +
          `DATA_DIR will refuse this token; run with DATA_DIR=<its data directory>.\n`,
      );
    }
    const issuer = await LocalIssuer.open({ directory });
    const token = await issuer.issue({
      subject: values.sub ?? `dev-${roles[0]}`,
      roles: roles as Role[],
      regions,
      ttlSeconds,
      audience: values.aud ?? DEFAULT_AUDIENCE,
      name: values.name,
    });
    io.stdout(`${token}\n`);
    return 0;
  } catch (error) {
    io.stderr(`${(error as Error).message}\n`);
    return error instanceof UsageError || error instanceof RangeError ? 2 : 1;
  }
}

class UsageError extends Error {}

function splitAll(values: string[] | undefined): string[] {
  return (values ?? [])
    .flatMap((value) => value.split(','))
    .map((v) => v.trim())
    .filter(Boolean);
}

if (require.main === module) {
  main(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
}
