import { closeOnSignals } from './service-app';

describe('closeOnSignals', () => {
  const added = (signal: NodeJS.Signals, before: NodeJS.SignalsListener[]) =>
    (process.listeners(signal) as NodeJS.SignalsListener[]).filter((listener) => !before.includes(listener));

  it('closes the service once on SIGTERM or SIGINT, then exits with 0', async () => {
    const beforeTerm = process.listeners('SIGTERM') as NodeJS.SignalsListener[];
    const beforeInt = process.listeners('SIGINT') as NodeJS.SignalsListener[];
    const exit = jest.spyOn(process, 'exit').mockImplementation((() => undefined) as never);
    const write = jest.spyOn(process.stdout, 'write').mockImplementation(() => true);
    const close = jest.fn(async () => undefined);
    try {
      closeOnSignals({ serviceName: 'incidents', close });
      const [onTerm] = added('SIGTERM', beforeTerm);
      const [onInt] = added('SIGINT', beforeInt);
      expect(onTerm).toBeDefined();
      expect(onInt).toBeDefined();
      (onTerm as (signal: NodeJS.Signals) => void)('SIGTERM');
      await new Promise((resolve) => setImmediate(resolve));
      expect(close).toHaveBeenCalledTimes(1);
      expect(exit).toHaveBeenCalledWith(0);
      expect(write).toHaveBeenCalledWith('incidents: SIGTERM, stopping\n');
    } finally {
      for (const listener of added('SIGTERM', beforeTerm))
        process.removeListener('SIGTERM', listener as never);
      for (const listener of added('SIGINT', beforeInt)) process.removeListener('SIGINT', listener as never);
      exit.mockRestore();
      write.mockRestore();
    }
  });

  it('exits with 1 when the shutdown fails', async () => {
    const beforeTerm = process.listeners('SIGTERM') as NodeJS.SignalsListener[];
    const beforeInt = process.listeners('SIGINT') as NodeJS.SignalsListener[];
    const exit = jest.spyOn(process, 'exit').mockImplementation((() => undefined) as never);
    const write = jest.spyOn(process.stdout, 'write').mockImplementation(() => true);
    const error = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      closeOnSignals({
        serviceName: 'prevention',
        close: async () => Promise.reject(new Error('pool gone')),
      });
      const [onInt] = added('SIGINT', beforeInt);
      (onInt as (signal: NodeJS.Signals) => void)('SIGINT');
      await new Promise((resolve) => setImmediate(resolve));
      expect(exit).toHaveBeenCalledWith(1);
      expect(error).toHaveBeenCalledWith(expect.stringContaining('pool gone'));
    } finally {
      for (const listener of added('SIGTERM', beforeTerm))
        process.removeListener('SIGTERM', listener as never);
      for (const listener of added('SIGINT', beforeInt)) process.removeListener('SIGINT', listener as never);
      exit.mockRestore();
      write.mockRestore();
      error.mockRestore();
    }
  });
});
