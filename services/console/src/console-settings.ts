export const CONSOLE_SETTINGS = Symbol('CONSOLE_SETTINGS');

/** The services the console forwards the application's calls to, by the name in `/api/<name>/…`. */
export interface Upstreams {
  'camera-registry': string;
  recognition: string;
  incidents: string;
  prevention: string;
}

export const UPSTREAM_NAMES: readonly (keyof Upstreams)[] = [
  'camera-registry',
  'recognition',
  'incidents',
  'prevention',
];

export interface ConsoleSettings {
  upstreams: Upstreams;
  /** The built application (index.html and its assets). */
  webRoot: string;
  /** A tile server for the map's background, `{z}/{x}/{y}` template; without it the map draws outlines only. */
  tileUrl?: string;
  tileAttribution?: string;
}
