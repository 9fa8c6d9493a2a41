import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { JwtVerifier, type LocalIssuer } from '@safecity/security';
import { Logger } from 'nestjs-pino';
import { OidcClient } from './auth/oidc-client';
import { CONSOLE_SERVICE, ConsoleModule } from './console.module';
import type { Upstreams } from './console-settings';
import { DEMO_USERS, LocalSignIn, type DemoUser } from './local-sign-in/local-sign-in';
import { WEB_ROOT } from './web/build-web';

/** Who signs people in: the embedded default's local issuer, or a real OIDC provider. */
export type ConsoleIdentity =
  | { kind: 'local'; issuer: LocalIssuer; users?: DemoUser[] }
  | {
      kind: 'oidc';
      /** `iss` of the provider, e.g. `https://sso.example.kz/realms/safecity`. */
      issuer: string;
      /** Default `<issuer>/.well-known/openid-configuration`. */
      discoveryUrl?: string;
      clientId: string;
      clientSecret?: string;
      /** `aud` of access tokens the services accept (default `safecity`). */
      audience: string;
      /** The provider's key set, for checking access tokens; default from discovery. */
      jwksUrl?: string;
      /** Back-channel base when the console reaches the provider under another name than browsers. */
      internalBaseUrl?: string;
    };

export interface ConsoleRuntime {
  http: { port: number; host?: string };
  /** The console's URL as browsers reach it; default `http://<host>:<port>`. */
  publicUrl?: string;
  upstreams: Upstreams;
  identity: ConsoleIdentity;
  /** Default: the built application under services/console/dist/web. */
  webRoot?: string;
  tileUrl?: string;
  tileAttribution?: string;
  /** A session without requests for this long ends (default 12 hours: a shift). */
  idleMinutes?: number;
}

export interface RunningConsole {
  serviceName: string;
  app: NestExpressApplication;
  httpUrl: string;
  close(): Promise<void>;
}

export const CONSOLE_CLIENT_ID = 'safecity-console';

export async function startConsole(runtime: ConsoleRuntime): Promise<RunningConsole> {
  const host = runtime.http.host ?? '127.0.0.1';
  // The public URL must be known before the module is built (redirect URIs); with port 0 the
  // listening port decides it, so the module is created after the server has its port.
  const { createServer } = await import('node:http');
  let port = runtime.http.port;
  if (port === 0) {
    port = await new Promise<number>((resolve, reject) => {
      const probe = createServer();
      probe.once('error', reject);
      probe.listen(0, host, () => {
        const chosen = (probe.address() as { port: number }).port;
        probe.close(() => resolve(chosen));
      });
    });
  }
  const browserHost = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host;
  const publicUrl = (runtime.publicUrl ?? `http://${browserHost}:${port}`).replace(/\/$/, '');
  const identity = runtime.identity;
  let oidc: OidcClient;
  let accessTokens;
  let localSignIn: LocalSignIn | undefined;
  if (identity.kind === 'local') {
    localSignIn = new LocalSignIn(
      identity.issuer,
      `${publicUrl}/local-issuer`,
      [{ clientId: CONSOLE_CLIENT_ID, redirectUris: [`${publicUrl}/auth/callback`] }],
      identity.users ?? DEMO_USERS,
    );
    oidc = new OidcClient({
      discoveryUrl: `${publicUrl}/local-issuer/.well-known/openid-configuration`,
      clientId: CONSOLE_CLIENT_ID,
      backChannel: { publicBase: publicUrl, internalBase: `http://${browserHost}:${port}` },
    });
    accessTokens = identity.issuer.verifier();
  } else {
    oidc = new OidcClient({
      discoveryUrl:
        identity.discoveryUrl ?? `${identity.issuer.replace(/\/$/, '')}/.well-known/openid-configuration`,
      clientId: identity.clientId,
      clientSecret: identity.clientSecret,
      backChannel: identity.internalBaseUrl
        ? {
            publicBase: new URL(identity.issuer).origin,
            internalBase: identity.internalBaseUrl.replace(/\/$/, ''),
          }
        : undefined,
    });
    const jwksUrl = identity.jwksUrl ?? `${identity.issuer.replace(/\/$/, '')}/protocol/openid-connect/certs`;
    accessTokens = new JwtVerifier({ issuer: identity.issuer, audience: identity.audience, jwksUrl });
  }
  const app = await NestFactory.create<NestExpressApplication>(
    ConsoleModule.forRoot({
      settings: {
        upstreams: runtime.upstreams,
        webRoot: runtime.webRoot ?? WEB_ROOT,
        tileUrl: runtime.tileUrl,
        tileAttribution: runtime.tileAttribution,
      },
      auth: { oidc, accessTokens, publicUrl, idleMinutes: runtime.idleMinutes ?? 12 * 60 },
      localSignIn,
    }),
    // Bodies are streamed to the services untouched.
    { bufferLogs: true, bodyParser: false },
  );
  app.useLogger(app.get(Logger));
  app.disable('x-powered-by');
  app.set('trust proxy', false);
  await app.listen(port, host);
  let closing: Promise<void> | undefined;
  return {
    serviceName: CONSOLE_SERVICE,
    app,
    httpUrl: publicUrl,
    close: () => (closing ??= app.close()),
  };
}
