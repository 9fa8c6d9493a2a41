import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SERVICES } from './cluster/topology';
import { SERVICE_V8_FLAGS, v8FlagsOf } from './node-flags';

const ROOT = join(__dirname, '..');

/** What the image's command would run for `service`, with `node` replaced by a printout of its arguments. */
function imageCommand(service: string): string[] {
  const dockerfile = readFileSync(join(ROOT, 'deploy/docker/service.Dockerfile'), 'utf8');
  const cmd = /^CMD (\[.*\])$/m.exec(dockerfile);
  if (!cmd) throw new Error('the Dockerfile has no CMD in exec form');
  const [shell, option, script] = JSON.parse(cmd[1]!) as string[];
  expect([shell, option]).toEqual(['/bin/sh', '-c']);
  expect(script).toContain('exec node ');
  const printed = execFileSync(shell!, [option!, script!.replace('exec node ', "exec printf '%s\\n' ")], {
    env: { PATH: process.env.PATH, SAFECITY_SERVICE: service },
    encoding: 'utf8',
  });
  return printed.split('\n').filter(Boolean);
}

describe('the V8 flags of each service', () => {
  it('are on the image command of the service that has them, and of no other', () => {
    expect(Object.keys(SERVICE_V8_FLAGS).length).toBeGreaterThan(0);
    for (const service of SERVICES) {
      expect(imageCommand(service)).toEqual([
        ...v8FlagsOf(service),
        '-r',
        '@swc-node/register',
        `services/${service}/src/main.ts`,
      ]);
    }
  });

  it("are on each service's `nx run <service>:serve`", () => {
    for (const service of SERVICES) {
      const project = JSON.parse(readFileSync(join(ROOT, 'services', service, 'project.json'), 'utf8')) as {
        targets: { serve: { options: { command: string } } };
      };
      const words = project.targets.serve.options.command.split(/\s+/);
      expect(words.slice(1, words.indexOf('-r'))).toEqual(v8FlagsOf(service));
    }
  });

  it('are on `npm start`, whose one process runs every service', () => {
    const start = (
      JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { scripts: { start: string } }
    ).scripts.start.split(/\s+/);
    for (const flag of Object.values(SERVICE_V8_FLAGS).flat()) expect(start).toContain(flag);
  });
});
