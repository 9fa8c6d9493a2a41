import { Worker } from 'node:worker_threads';

/**
 * A real aedes MQTT broker in this process, on a worker thread: aedes is an ES module, which the
 * test runner's CommonJS module system cannot load, while a worker runs plain Node.
 */
export async function startMqttBroker(): Promise<{ url: string; close(): Promise<void> }> {
  const worker = new Worker(
    `
    const { parentPort } = require('node:worker_threads');
    const net = require('node:net');
    import(require.resolve('aedes', { paths: [process.cwd()] })).then(async ({ Aedes }) => {
      const broker = await Aedes.createBroker();
      const server = net.createServer(broker.handle);
      server.listen(0, '127.0.0.1', () => parentPort.postMessage({ port: server.address().port }));
      parentPort.on('message', () => broker.close(() => server.close(() => parentPort.postMessage({ closed: true }))));
    }, (error) => parentPort.postMessage({ error: String(error) }));
    `,
    { eval: true },
  );
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('MQTT broker did not start within 10 s')), 10_000);
    worker.once('message', (m: { port?: number; error?: string }) => {
      clearTimeout(timer);
      if (m.port) resolve(m.port);
      else reject(new Error(m.error ?? 'MQTT broker failed'));
    });
  });
  return {
    url: `mqtt://127.0.0.1:${port}`,
    close: async () => {
      const closed = new Promise((resolve) => worker.once('message', resolve));
      worker.postMessage('close');
      await Promise.race([closed, new Promise((resolve) => setTimeout(resolve, 5_000))]);
      await worker.terminate();
    },
  };
}
