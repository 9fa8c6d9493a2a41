/**
 * V8 flags a service's process starts with beyond the image's `NODE_OPTIONS` (which carries the
 * 64 MB young generation every service gets). They cannot go in `NODE_OPTIONS`, which Node refuses
 * them in, so the image's command, `npm start`, `npm run cluster` and `npm run bench` pass them on
 * the command line, as `nx run <service>:serve` does (`node-flags.spec.ts` holds the image's
 * command, `npm start` and the serve targets to this list).
 */
export const SERVICE_V8_FLAGS: Readonly<Record<string, readonly string[]>> = {
  // The models' tensors and frames live outside the heap, and with a 64 MB young generation V8 ran
  // a major collection every 150–300 ms at an old generation of ~80 MB; a larger initial old
  // generation lets it run one every few seconds: 5–15% less CPU per frame for objects, 3–8% with
  // every analytic on (docs/benchmarks.md, analytics).
  'video-analytics': ['--initial-old-space-size=256'],
};

/** The flags of `service` (none for most). */
export function v8FlagsOf(service: string): readonly string[] {
  return SERVICE_V8_FLAGS[service] ?? [];
}
