import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeJwt } from 'jose';
import { LocalIssuer } from './local-issuer';
import { main } from './token-cli';

function run(argv: string[], env: Record<string, string | undefined> = {}) {
  const out: string[] = [];
  const err: string[] = [];
  return main(argv, { stdout: (t) => out.push(t), stderr: (t) => err.push(t), env }).then((code) => ({
    code,
    stdout: out.join(''),
    stderr: err.join(''),
  }));
}

describe('npm run token', () => {
  const directory = join(mkdtempSync(join(tmpdir(), 'safecity-token-')), 'issuer');
  const env = { SAFECITY_ISSUER_DIR: directory };

  it('prints a token of the local issuer for a role and a region by name', async () => {
    const { code, stdout } = await run(['--role', 'operator', '--region', 'almaty'], env);
    expect(code).toBe(0);
    const token = stdout.trim();
    const principal = await (await LocalIssuer.open({ directory })).verifier().verify(token);
    expect(principal).toMatchObject({
      kind: 'user',
      subject: 'dev-operator',
      roles: ['operator'],
      regions: ['ALA'],
    });
    const claims = decodeJwt(token);
    expect(claims.exp! - claims.iat!).toBe(3600);
  });

  it('takes several roles and regions, a subject, a lifetime and "all"', async () => {
    const { stdout } = await run(
      [
        '--role',
        'supervisor,analyst',
        '--region',
        'AST',
        '--region',
        'shymkent',
        '--ttl',
        '600',
        '--sub',
        'alice',
      ],
      env,
    );
    const claims = decodeJwt(stdout.trim());
    expect(claims).toMatchObject({ sub: 'alice', roles: ['supervisor', 'analyst'], regions: ['AST', 'SHY'] });
    expect(claims.exp! - claims.iat!).toBe(600);
    const all = decodeJwt((await run(['--role', 'admin', '--region', 'all'], env)).stdout.trim());
    expect(all.regions).toEqual(['*']);
  });

  it('signs with the key in DATA_DIR/issuer, where a platform started with that DATA_DIR keeps it', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'safecity-data-'));
    // As `DATA_DIR=… npm start` opens it.
    const platformIssuer = await LocalIssuer.open({ directory: join(dataDir, 'issuer') });

    const { code, stdout, stderr } = await run(['--role', 'operator', '--region', 'almaty'], {
      DATA_DIR: dataDir,
    });

    expect(code).toBe(0);
    expect(stderr).toBe('');
    await expect(platformIssuer.verifier().verify(stdout.trim())).resolves.toMatchObject({
      subject: 'dev-operator',
    });
  });

  it('says so when it has to make a new key that no running platform trusts', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'safecity-data-'));
    const { code, stderr } = await run(['--role', 'operator'], { DATA_DIR: dataDir });
    expect(code).toBe(0);
    expect(stderr).toMatch(/no issuer key in .*issuer: a new one was made/);
  });

  it('explains what is wrong instead of printing a token', async () => {
    for (const argv of [
      [],
      ['--role', 'root'],
      ['--role', 'operator', '--region', 'atlantis'],
      ['--role', 'operator', '--ttl', 'soon'],
      ['--role', 'operator', '--bogus'],
    ]) {
      const result = await run(argv, env);
      expect(result.code).toBe(2);
      expect(result.stdout).toBe('');
      expect(result.stderr.length).toBeGreaterThan(0);
    }
  });
});
