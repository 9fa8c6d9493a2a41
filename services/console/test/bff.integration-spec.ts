import { createHash } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LocalIssuer } from '@safecity/security';
import { startConsole, type RunningConsole } from '../src/bootstrap';

/** What a service behind the console received: the console's side of the contract. */
interface Received {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
}

describe('console backend-for-frontend', () => {
  let service: Server;
  let received: Received[];
  let consoleApp: RunningConsole;
  let issuer: LocalIssuer;

  beforeAll(async () => {
    received = [];
    // A service answering like the platform's do, recording each request it gets.
    service = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        received.push({
          method: req.method!,
          url: req.url!,
          headers: req.headers,
          body: Buffer.concat(chunks).toString(),
        });
        if (req.url?.startsWith('/incidents/00000000-0000-4000-8000-000000000001/transitions')) {
          res.writeHead(409, { 'content-type': 'application/json', 'set-cookie': 'tracking=1' });
          res.end(
            JSON.stringify({
              statusCode: 409,
              message: 'an incident in state closed cannot become verified',
              allowedTransitions: [],
            }),
          );
          return;
        }
        res.writeHead(200, { 'content-type': 'application/json', 'set-cookie': 'tracking=1' });
        res.end(JSON.stringify({ items: [], nextCursor: null }));
      });
    });
    await new Promise<void>((resolve) => service.listen(0, '127.0.0.1', resolve));
    const serviceUrl = `http://127.0.0.1:${(service.address() as { port: number }).port}`;
    issuer = await LocalIssuer.open({ directory: mkdtempSync(join(tmpdir(), 'console-issuer-')) });
    consoleApp = await startConsole({
      http: { port: 0 },
      upstreams: {
        'camera-registry': serviceUrl,
        recognition: serviceUrl,
        incidents: serviceUrl,
        prevention: serviceUrl,
      },
      identity: { kind: 'local', issuer },
      webRoot: mkdtempSync(join(tmpdir(), 'console-web-')),
    });
  });

  afterAll(async () => {
    await consoleApp?.close();
    await new Promise((resolve) => service?.close(resolve));
  });

  const url = (path: string) => `${consoleApp.httpUrl}${path}`;
  const setCookies = (response: Response) => response.headers.getSetCookie();
  const cookieOf = (response: Response, name: string) =>
    setCookies(response)
      .find((c) => c.startsWith(`${name}=`))
      ?.split(';')[0];

  /** The browser's part of a sign-in: the console's redirect, the local issuer's page, the callback. */
  async function signIn(username: string, returnTo = '/queue') {
    const login = await fetch(url(`/auth/login?returnTo=${encodeURIComponent(returnTo)}&lang=kk`), {
      redirect: 'manual',
    });
    expect(login.status).toBe(303);
    const signInCookie = cookieOf(login, 'safecity_console_signin')!;
    const authorize = new URL(login.headers.get('location')!);
    expect(authorize.searchParams.get('code_challenge_method')).toBe('S256');
    expect(authorize.searchParams.get('ui_locales')).toBe('kk');
    const page = await (await fetch(authorize)).text();
    expect(page).toContain(`value="${username}"`);
    const form = new URLSearchParams(authorize.searchParams);
    form.set('username', username);
    const chosen = await fetch(new URL('authorize', authorize.href.replace(/authorize.*$/, '')), {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: form,
      redirect: 'manual',
    });
    expect(chosen.status).toBe(303);
    const callback = chosen.headers.get('location')!;
    const done = await fetch(callback, { headers: { cookie: signInCookie }, redirect: 'manual' });
    return { done, callback, signInCookie, authorize };
  }

  it('signs in with the authorization code and PKCE, and gives the browser only an httpOnly SameSite cookie', async () => {
    const { done } = await signIn('operator.almaty');
    expect(done.status).toBe(303);
    expect(done.headers.get('location')).toBe('/queue');
    const session = setCookies(done).find((c) => c.startsWith('safecity_console='))!;
    expect(session).toMatch(/HttpOnly/);
    expect(session).toMatch(/SameSite=Lax/);
    const who = await fetch(url('/auth/session'), { headers: { cookie: session.split(';')[0]! } });
    const body = (await who.json()) as Record<string, any>;
    expect(body.user).toEqual({
      subject: 'operator.almaty',
      name: 'Aigerim Operator',
      roles: ['operator'],
      regions: ['ALA'],
    });
    expect(body.csrfToken).toMatch(/^[\w-]{40,}$/);
    expect(JSON.stringify(body)).not.toMatch(/eyJ/);
  });

  it('refuses a callback that this browser did not start, and a code used twice', async () => {
    const { callback, signInCookie } = await signIn('operator.almaty');
    // The same callback again: the sign-in was taken.
    const again = await fetch(callback, { headers: { cookie: signInCookie }, redirect: 'manual' });
    expect(again.status).toBe(400);
    // Another browser (no sign-in cookie) presenting a fresh code.
    const other = await signIn('operator.almaty');
    const foreign = await fetch(other.callback, { redirect: 'manual' });
    expect(foreign.status).toBe(400);
  });

  it('refuses a code exchanged without the matching PKCE verifier', async () => {
    const login = await fetch(url('/auth/login'), { redirect: 'manual' });
    const authorize = new URL(login.headers.get('location')!);
    const form = new URLSearchParams(authorize.searchParams);
    form.set('username', 'admin.national');
    const chosen = await fetch(authorize.href.split('?')[0]!, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: form,
      redirect: 'manual',
    });
    const code = new URL(chosen.headers.get('location')!).searchParams.get('code')!;
    const token = (verifier: string) =>
      fetch(url('/local-issuer/token'), {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({
          grant_type: 'authorization_code',
          code,
          client_id: 'safecity-console',
          redirect_uri: authorize.searchParams.get('redirect_uri')!,
          code_verifier: verifier,
        }),
      });
    const wrong = 'x'.repeat(64);
    expect(createHash('sha256').update(wrong).digest('base64url')).not.toBe(
      authorize.searchParams.get('code_challenge'),
    );
    const refused = await token(wrong);
    expect(refused.status).toBe(400);
    expect(await refused.json()).toMatchObject({ error: 'invalid_grant' });
  });

  it('refuses an unregistered redirect URI and never redirects after sign-in outside the console', async () => {
    const login = await fetch(url('/auth/login?returnTo=//evil.example/x'), { redirect: 'manual' });
    const authorize = new URL(login.headers.get('location')!);
    authorize.searchParams.set('redirect_uri', 'https://evil.example/callback');
    expect((await fetch(authorize)).status).toBe(400);
    const { done } = await signIn('operator.almaty', '//evil.example/x');
    expect(done.headers.get('location')).toBe('/');
  });

  it('forwards calls with the user’s bearer token and nothing of the browser’s cookies, and passes refusals through', async () => {
    const { done } = await signIn('operator.astana');
    const cookie = cookieOf(done, 'safecity_console')!;
    const { csrfToken } = (await (await fetch(url('/auth/session'), { headers: { cookie } })).json()) as {
      csrfToken: string;
    };
    received.length = 0;
    const list = await fetch(url('/api/incidents/incidents?state=new&limit=5'), {
      headers: { cookie: `${cookie}; other=1`, 'x-purpose': 'shift%20handover', accept: 'application/json' },
    });
    expect(list.status).toBe(200);
    expect(setCookies(list)).toEqual([]);
    expect(received[0]).toMatchObject({ method: 'GET', url: '/incidents?state=new&limit=5' });
    expect(received[0]!.headers.cookie).toBeUndefined();
    expect(received[0]!.headers['x-purpose']).toBe('shift%20handover');
    const bearer = received[0]!.headers.authorization!.replace(/^Bearer /, '');
    const principal = await issuer.verifier().verify(bearer);
    expect(principal).toMatchObject({ subject: 'operator.astana', roles: ['operator'], regions: ['AST'] });

    const refused = await fetch(
      url('/api/incidents/incidents/00000000-0000-4000-8000-000000000001/transitions'),
      {
        method: 'POST',
        headers: { cookie, 'content-type': 'application/json', 'x-csrf-token': csrfToken },
        body: JSON.stringify({ to: 'verified' }),
      },
    );
    expect(refused.status).toBe(409);
    expect(await refused.json()).toMatchObject({ allowedTransitions: [] });
    expect(received.at(-1)!.body).toBe(JSON.stringify({ to: 'verified' }));
  });

  it('refuses changes without the session’s CSRF token or from another site, and calls without a session', async () => {
    const { done } = await signIn('operator.almaty');
    const cookie = cookieOf(done, 'safecity_console')!;
    const { csrfToken } = (await (await fetch(url('/auth/session'), { headers: { cookie } })).json()) as {
      csrfToken: string;
    };
    received.length = 0;
    const post = (headers: Record<string, string>) =>
      fetch(url('/api/incidents/incidents'), {
        method: 'POST',
        headers: { cookie, 'content-type': 'application/json', ...headers },
        body: '{}',
      });
    const noToken = await post({});
    expect(noToken.status).toBe(403);
    expect(await noToken.json()).toMatchObject({ code: 'csrf' });
    expect((await post({ 'x-csrf-token': 'not-the-token' })).status).toBe(403);
    const crossSite = await post({ 'x-csrf-token': csrfToken, origin: 'https://evil.example' });
    expect(crossSite.status).toBe(403);
    expect(await crossSite.json()).toMatchObject({ code: 'cross-site' });
    expect(received).toHaveLength(0);
    expect((await post({ 'x-csrf-token': csrfToken })).status).toBe(200);

    const anonymous = await fetch(url('/api/incidents/incidents'));
    expect(anonymous.status).toBe(401);
    expect(await anonymous.json()).toMatchObject({ code: 'signed-out' });
    expect((await fetch(url('/api/elsewhere/x'), { headers: { cookie } })).status).toBe(404);
  });

  it('ends the session at sign-out', async () => {
    const { done } = await signIn('operator.almaty');
    const cookie = cookieOf(done, 'safecity_console')!;
    const { csrfToken } = (await (await fetch(url('/auth/session'), { headers: { cookie } })).json()) as {
      csrfToken: string;
    };
    const out = await fetch(url('/auth/logout'), {
      method: 'POST',
      headers: { cookie, 'x-csrf-token': csrfToken },
    });
    expect(out.status).toBe(200);
    expect((await fetch(url('/auth/session'), { headers: { cookie } })).status).toBe(401);
    expect((await fetch(url('/api/incidents/incidents'), { headers: { cookie } })).status).toBe(401);
  });
});
