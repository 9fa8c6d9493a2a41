import { closeOnSignals } from './service-app';

type Listener = NodeJS.SignalsListener;

/**
 * Runs `body` with process.exit and the standard streams stubbed, and removes whatever signal
 * listeners it added, so the test process itself is never stopped.
 */
async function withSignalsCaught(
  body: (added: (signal: NodeJS.Signals) => Listener[], exit: jest.SpyInstance) => Promise<void>,
) {
  const before = {
    SIGTERM: process.listeners('SIGTERM') as Listener[],
    SIGINT: process.listeners('SIGINT') as Listener[],
  };
  const added = (signal: 'SIGTERM' | 'SIGINT') =>
    (process.listeners(signal) as Listener[]).filter((listener) => !before[signal].includes(listener));
  const exit = jest.spyOn(process, 'exit').mockImplementation((() => undefined) as never);
  const out = jest.spyOn(process.stdout, 'write').mockImplementation(() => true);
  const err = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
  try {
    await body(added as (signal: NodeJS.Signals) => Listener[], exit);
  } finally {
    for (const signal of ['SIGTERM', 'SIGINT'] as const) {
      for (const listener of added(signal)) process.removeListener(signal, listener);
    }
    for (const spy of [exit, out, err]) spy.mockRestore();
  }
}

const settle = () => new Promise((resolve) => setImmediate(resolve));

describe('closeOnSignals', () => {
  it('closes the service once on SIGTERM or SIGINT, then exits with 0', () =>
    withSignalsCaught(async (added, exit) => {
      const close = jest.fn(async () => undefined);
      closeOnSignals({ serviceName: 'incidents', close });
      expect(added('SIGINT')).toHaveLength(1);
      const [onTerm] = added('SIGTERM');
      onTerm('SIGTERM');
      await settle();
      expect(close).toHaveBeenCalledTimes(1);
      expect(exit).toHaveBeenCalledWith(0);
      expect(process.stdout.write).toHaveBeenCalledWith('incidents: SIGTERM, stopping\n');
    }));

  it('exits with 1 when the shutdown fails', () =>
    withSignalsCaught(async (added, exit) => {
      closeOnSignals({
        serviceName: 'prevention',
        close: async () => Promise.reject(new Error('pool gone')),
      });
      const [onInt] = added('SIGINT');
      onInt('SIGINT');
      await settle();
      expect(exit).toHaveBeenCalledWith(1);
      expect(process.stderr.write).toHaveBeenCalledWith(expect.stringContaining('pool gone'));
    }));
});
