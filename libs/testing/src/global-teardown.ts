export default async function globalTeardown(): Promise<void> {
  const started = (
    (globalThis as { __SAFECITY_INFRA__?: { stop(): Promise<void> }[] }).__SAFECITY_INFRA__ ?? []
  ).reverse();
  for (const service of started) await service.stop().catch(() => undefined);
}
