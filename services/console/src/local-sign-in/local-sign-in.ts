import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { LocalIssuer, Role } from '@safecity/security';

/** A person the embedded default's sign-in page offers: no password, it is a development issuer. */
export interface DemoUser {
  username: string;
  name: string;
  roles: Role[];
  regions: string[] | 'all';
}

/** The demo users of the embedded default, as the Keycloak realm (deploy/keycloak) names them. */
export const DEMO_USERS: DemoUser[] = [
  { username: 'operator.almaty', name: 'Aigerim Operator', roles: ['operator'], regions: ['ALA'] },
  { username: 'operator2.almaty', name: 'Daniyar Operator', roles: ['operator'], regions: ['ALA'] },
  { username: 'supervisor.almaty', name: 'Saule Supervisor', roles: ['supervisor'], regions: ['ALA'] },
  { username: 'operator.astana', name: 'Nurlan Operator', roles: ['operator'], regions: ['AST'] },
  { username: 'region-admin.almaty', name: 'Marat Integrator', roles: ['region-admin'], regions: ['ALA'] },
  {
    username: 'analyst.national',
    name: 'Gulnara Analyst',
    roles: ['analyst'],
    regions: ['ALA', 'AST', 'SHY', 'AKT'],
  },
  {
    username: 'prevention.almaty',
    name: 'Yerlan Prevention',
    roles: ['prevention-officer'],
    regions: ['ALA'],
  },
  { username: 'admin.national', name: 'Admin National', roles: ['admin'], regions: 'all' },
];

/** A relying party allowed to use the local sign-in: its id and the redirect URIs it registered. */
export interface LocalClient {
  clientId: string;
  redirectUris: string[];
}

interface PendingCode {
  user: DemoUser;
  clientId: string;
  redirectUri: string;
  codeChallenge: string;
  nonce: string;
  expiresAt: number;
}

const CODE_TTL_MS = 60_000;
const MAX_PENDING_CODES = 1_000;
/** Access tokens last a shift; the console signs the user in again after it. */
const TOKEN_TTL_SECONDS = 12 * 3600;

type Lang = 'ru' | 'kk' | 'en';
const TEXT: Record<Lang, Record<'title' | 'intro' | 'signIn' | 'regions' | 'all' | 'lang', string>> = {
  ru: {
    title: 'Вход: локальный издатель Safe City',
    intro: 'Встроенная среда разработки: выберите демонстрационного пользователя. Пароль не нужен.',
    signIn: 'Войти как',
    regions: 'регионы',
    all: 'все',
    lang: 'Язык',
  },
  kk: {
    title: 'Кіру: Safe City жергілікті эмитенті',
    intro: 'Кірістірілген әзірлеу ортасы: демо пайдаланушыны таңдаңыз. Құпиясөз қажет емес.',
    signIn: 'Кіру:',
    regions: 'өңірлер',
    all: 'барлығы',
    lang: 'Тіл',
  },
  en: {
    title: 'Sign in: Safe City local issuer',
    intro: 'The embedded development default: choose a demo user. No password is needed.',
    signIn: 'Sign in as',
    regions: 'regions',
    all: 'all',
    lang: 'Language',
  },
};

const escape = (value: string) =>
  value.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!,
  );

function s256(verifier: string): string {
  return createHash('sha256').update(verifier).digest('base64url');
}

function sameText(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/**
 * The embedded default's sign-in: an OpenID Connect provider in front of the platform's local
 * issuer, with the authorization code flow and PKCE (S256 only) and a page that lists the demo
 * users instead of asking for a password. The console signs in against it exactly as against
 * Keycloak — discovery, authorization, code exchange, ID token — so the same code runs in both.
 * It never runs outside the embedded default: a real deployment configures its OIDC provider.
 */
export class LocalSignIn {
  private readonly codes = new Map<string, PendingCode>();

  constructor(
    private readonly issuer: LocalIssuer,
    /** Public base URL under which the endpoints are served, e.g. `http://127.0.0.1:3005/local-issuer`. */
    private readonly baseUrl: string,
    private readonly clients: LocalClient[],
    private readonly users: DemoUser[] = DEMO_USERS,
  ) {}

  discovery() {
    return {
      issuer: this.issuer.issuer,
      authorization_endpoint: `${this.baseUrl}/authorize`,
      token_endpoint: `${this.baseUrl}/token`,
      jwks_uri: `${this.baseUrl}/.well-known/jwks.json`,
      response_types_supported: ['code'],
      grant_types_supported: ['authorization_code'],
      subject_types_supported: ['public'],
      id_token_signing_alg_values_supported: ['ES256'],
      code_challenge_methods_supported: ['S256'],
      token_endpoint_auth_methods_supported: ['none'],
      scopes_supported: ['openid', 'profile'],
      ui_locales_supported: ['ru', 'kk', 'en'],
    };
  }

  /** Handles a request under the base path; returns false when the path is not one of its own. */
  async handle(path: string, req: IncomingMessage, res: ServerResponse): Promise<boolean> {
    if (req.method === 'GET' && path === '/.well-known/openid-configuration') {
      json(res, 200, this.discovery());
    } else if (req.method === 'GET' && path === '/.well-known/jwks.json') {
      json(res, 200, this.issuer.jwks());
    } else if (req.method === 'GET' && path === '/authorize') {
      this.page(new URL(req.url ?? '/', 'http://local').searchParams, res);
    } else if (req.method === 'POST' && path === '/authorize') {
      this.choose(new URLSearchParams(await readBody(req)), res);
    } else if (req.method === 'POST' && path === '/token') {
      await this.token(new URLSearchParams(await readBody(req)), res);
    } else {
      return false;
    }
    return true;
  }

  /** Checks the authorization request; answers the problem, or null when it may go on. */
  private check(params: URLSearchParams): string | null {
    const client = this.clients.find((c) => c.clientId === params.get('client_id'));
    if (!client) return 'unknown client_id';
    if (!client.redirectUris.includes(params.get('redirect_uri') ?? '')) return 'redirect_uri not registered';
    if (params.get('response_type') !== 'code') return 'response_type must be code';
    if (
      params.get('code_challenge_method') !== 'S256' ||
      !/^[\w-]{43}$/.test(params.get('code_challenge') ?? '')
    )
      return 'PKCE with code_challenge_method S256 is required';
    if (!(params.get('scope') ?? '').split(' ').includes('openid')) return 'scope must include openid';
    return null;
  }

  private page(params: URLSearchParams, res: ServerResponse) {
    const problem = this.check(params);
    if (problem) return text(res, 400, `invalid authorization request: ${problem}`);
    const requested = (params.get('ui_locales') ?? '').split(' ')[0] as Lang;
    const lang: Lang = requested in TEXT ? requested : 'ru';
    const t = TEXT[lang];
    const hidden = [
      'client_id',
      'redirect_uri',
      'state',
      'nonce',
      'code_challenge',
      'code_challenge_method',
      'scope',
      'response_type',
    ]
      .map((name) => `<input type="hidden" name="${name}" value="${escape(params.get(name) ?? '')}">`)
      .join('');
    const languages = (['ru', 'kk', 'en'] as Lang[])
      .map((code) => {
        const other = new URLSearchParams(params);
        other.set('ui_locales', code);
        const label = { ru: 'Русский', kk: 'Қазақша', en: 'English' }[code];
        return code === lang
          ? `<strong lang="${code}">${label}</strong>`
          : `<a lang="${code}" href="?${escape(other.toString())}">${label}</a>`;
      })
      .join(' · ');
    const users = this.users
      .map(
        (user) =>
          `<li><button type="submit" name="username" value="${escape(user.username)}">` +
          `<span class="who">${escape(t.signIn)} <b>${escape(user.username)}</b></span>` +
          `<span class="what">${escape(user.name)} — ${user.roles.map(escape).join(', ')}; ${escape(t.regions)}: ${
            user.regions === 'all' ? escape(t.all) : user.regions.map(escape).join(', ')
          }</span></button></li>`,
      )
      .join('');
    const html = `<!doctype html><html lang="${lang}"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1"><title>${escape(t.title)}</title>
<style>body{font:16px/1.4 system-ui,sans-serif;background:#0f1720;color:#e6edf3;margin:0;padding:2rem}
main{max-width:44rem;margin:auto}h1{font-size:1.5rem}a{color:#8cc8ff}ul{list-style:none;padding:0}
button{display:block;width:100%;text-align:left;margin:.4rem 0;padding:.7rem 1rem;border-radius:6px;border:1px solid #3b4a5a;
background:#17212b;color:#e6edf3;font:inherit;cursor:pointer}button:hover,button:focus{border-color:#8cc8ff;outline:2px solid #8cc8ff}
.what{display:block;color:#b8c4cf;font-size:.9rem}nav{margin:1rem 0}</style></head>
<body><main><h1>${escape(t.title)}</h1><nav aria-label="${escape(t.lang)}">${languages}</nav><p>${escape(t.intro)}</p>
<form method="post" action="authorize">${hidden}<ul>${users}</ul></form></main></body></html>`;
    res.writeHead(200, {
      'content-type': 'text/html; charset=utf-8',
      'cache-control': 'no-store',
      'content-security-policy':
        "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'",
      'x-frame-options': 'DENY',
    });
    res.end(html);
  }

  private choose(params: URLSearchParams, res: ServerResponse) {
    const problem = this.check(params);
    if (problem) return text(res, 400, `invalid authorization request: ${problem}`);
    const user = this.users.find((u) => u.username === params.get('username'));
    if (!user) return text(res, 400, 'unknown user');
    this.sweep();
    const code = randomBytes(32).toString('base64url');
    this.codes.set(code, {
      user,
      clientId: params.get('client_id')!,
      redirectUri: params.get('redirect_uri')!,
      codeChallenge: params.get('code_challenge')!,
      nonce: params.get('nonce') ?? '',
      expiresAt: Date.now() + CODE_TTL_MS,
    });
    const target = new URL(params.get('redirect_uri')!);
    target.searchParams.set('code', code);
    if (params.get('state')) target.searchParams.set('state', params.get('state')!);
    res.writeHead(303, { location: target.toString(), 'cache-control': 'no-store' });
    res.end();
  }

  private async token(params: URLSearchParams, res: ServerResponse) {
    const error = (description: string) =>
      json(res, 400, { error: 'invalid_grant', error_description: description });
    if (params.get('grant_type') !== 'authorization_code') {
      return json(res, 400, { error: 'unsupported_grant_type' });
    }
    const code = params.get('code') ?? '';
    const pending = this.codes.get(code);
    // One use only, whatever the outcome: a replayed code is refused.
    this.codes.delete(code);
    if (!pending || pending.expiresAt < Date.now()) return error('unknown or expired code');
    if (pending.clientId !== params.get('client_id')) return error('code issued to another client');
    if (pending.redirectUri !== params.get('redirect_uri')) return error('redirect_uri differs');
    const verifier = params.get('code_verifier') ?? '';
    if (!/^[\w.~-]{43,128}$/.test(verifier) || !sameText(s256(verifier), pending.codeChallenge)) {
      return error('code_verifier does not match the code_challenge');
    }
    const { user } = pending;
    const common = { subject: user.username, roles: user.roles, regions: user.regions, name: user.name };
    const [accessToken, idToken] = await Promise.all([
      this.issuer.issue({ ...common, ttlSeconds: TOKEN_TTL_SECONDS }),
      this.issuer.issue({
        ...common,
        audience: pending.clientId,
        nonce: pending.nonce || undefined,
        ttlSeconds: 300,
      }),
    ]);
    json(res, 200, {
      access_token: accessToken,
      id_token: idToken,
      token_type: 'Bearer',
      expires_in: TOKEN_TTL_SECONDS,
    });
  }

  private sweep() {
    const now = Date.now();
    for (const [code, pending] of this.codes) if (pending.expiresAt < now) this.codes.delete(code);
    // Bounded: a flood of abandoned sign-ins cannot grow it without limit.
    while (this.codes.size >= MAX_PENDING_CODES) this.codes.delete(this.codes.keys().next().value!);
  }
}

function json(res: ServerResponse, status: number, body: unknown) {
  res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' });
  res.end(JSON.stringify(body));
}

function text(res: ServerResponse, status: number, body: string) {
  res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' });
  res.end(body);
}

async function readBody(req: IncomingMessage, limit = 16 * 1024): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > limit) throw new Error('request body too large');
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}
