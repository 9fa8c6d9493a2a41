import { randomBytes, randomUUID } from 'node:crypto';
import {
  chmodSync,
  existsSync,
  linkSync,
  mkdirSync,
  readFileSync,
  statSync,
  unlinkSync,
  writeFileSync,
} from 'node:fs';
import { join, resolve } from 'node:path';
import {
  calculateJwkThumbprint,
  exportJWK,
  generateKeyPair,
  importJWK,
  SignJWT,
  type JSONWebKeySet,
  type JWK,
  type KeyLike,
} from 'jose';
import { isRole, type Role } from '../principal';
import { JwtVerifier, type JwtVerifierOptions } from './jwt-verifier';

/** `iss` of tokens minted by the embedded default's issuer unless configured otherwise. */
export const DEFAULT_LOCAL_ISSUER = 'http://localhost/safecity/local-issuer';
/** `aud` the platform's services accept by default. */
export const DEFAULT_AUDIENCE = 'safecity';
/** Where the embedded default keeps the issuer key unless `SAFECITY_ISSUER_DIR` says otherwise. */
export const DEFAULT_ISSUER_DIR = '.data/issuer';

/** The issuer's key directory inside the embedded default's data directory (`DATA_DIR`). */
export function issuerDirectoryIn(dataDir: string): string {
  return join(resolve(dataDir), 'issuer');
}

const KEY_FILE = 'issuer-key.json';

/** Whether `directory` already holds an issuer key (opening it would otherwise make a new one). */
export function hasIssuerKey(directory: string): boolean {
  return existsSync(join(resolve(directory), KEY_FILE));
}
const ALG = 'ES256';
const MAX_TTL_SECONDS = 7 * 24 * 3600;

export interface LocalIssuerOptions {
  /** Directory holding the private key; created on first use. */
  directory: string;
  issuer?: string;
}

export interface IssueTokenRequest {
  subject: string;
  roles: Role[];
  /** Region codes, or 'all' (written as `["*"]`). Omitted: no `regions` claim. */
  regions?: string[] | 'all';
  /** Default 3600; at most a week. */
  ttlSeconds?: number;
  /** Default {@link DEFAULT_AUDIENCE}. */
  audience?: string | string[];
  name?: string;
  /** OIDC ID tokens: the `nonce` the relying party sent with its authorization request. */
  nonce?: string;
}

interface StoredKey {
  privateJwk: JWK;
}

/**
 * The embedded default's own OIDC-like issuer: one ES256 key pair kept on disk (so tokens survive
 * restarts and the token command and the running platform agree), its public JWKS, and token
 * minting. Production uses a real identity provider instead; nothing else changes.
 */
export class LocalIssuer {
  private constructor(
    readonly issuer: string,
    private readonly privateKey: KeyLike,
    private readonly publicJwk: JWK & { kid: string },
  ) {}

  /** Loads the key from `directory`, creating the directory (0700) and key file (0600) if needed. */
  static async open(options: LocalIssuerOptions): Promise<LocalIssuer> {
    const directory = resolve(options.directory);
    mkdirSync(directory, { recursive: true, mode: 0o700 });
    const file = join(directory, KEY_FILE);
    if (!existsSync(file)) await createKeyFile(directory, file);
    // A key readable by other users would let them mint tokens for any role.
    if ((statSync(file).mode & 0o077) !== 0) chmodSync(file, 0o600);
    const stored = JSON.parse(readFileSync(file, 'utf8')) as StoredKey;
    const { d: _d, ...publicPart } = stored.privateJwk;
    const kid = stored.privateJwk.kid ?? (await calculateJwkThumbprint(publicPart));
    const privateKey = (await importJWK(stored.privateJwk, ALG)) as KeyLike;
    return new LocalIssuer(options.issuer ?? DEFAULT_LOCAL_ISSUER, privateKey, {
      ...publicPart,
      kid,
      alg: ALG,
      use: 'sig',
    });
  }

  get keyId(): string {
    return this.publicJwk.kid;
  }

  /** The public key set, as a JWKS endpoint would serve it. */
  jwks(): JSONWebKeySet {
    return { keys: [{ ...this.publicJwk }] };
  }

  async issue(request: IssueTokenRequest): Promise<string> {
    if (!request.subject) throw new Error('a token needs a subject');
    const unknown = request.roles.filter((role) => !isRole(role));
    if (request.roles.length === 0 || unknown.length > 0) {
      throw new RangeError(`roles must be platform roles (got ${JSON.stringify(request.roles)})`);
    }
    const ttl = request.ttlSeconds ?? 3600;
    if (!(Number.isInteger(ttl) && ttl > 0 && ttl <= MAX_TTL_SECONDS)) {
      throw new RangeError(`ttlSeconds must be an integer between 1 and ${MAX_TTL_SECONDS}`);
    }
    const claims: Record<string, unknown> = { roles: request.roles };
    if (request.regions !== undefined) claims.regions = request.regions === 'all' ? ['*'] : request.regions;
    if (request.name) claims.name = request.name;
    if (request.nonce) claims.nonce = request.nonce;
    return new SignJWT(claims)
      .setProtectedHeader({ alg: ALG, kid: this.publicJwk.kid, typ: 'JWT' })
      .setIssuer(this.issuer)
      .setSubject(request.subject)
      .setAudience(request.audience ?? DEFAULT_AUDIENCE)
      .setIssuedAt()
      .setNotBefore('0s')
      .setJti(randomUUID())
      .setExpirationTime(`${ttl}s`)
      .sign(this.privateKey);
  }

  /** A verifier that trusts exactly this issuer's key, without any HTTP. */
  verifier(options: Partial<Omit<JwtVerifierOptions, 'jwks' | 'jwksUrl' | 'issuer'>> = {}): JwtVerifier {
    return new JwtVerifier({
      ...options,
      audience: options.audience ?? DEFAULT_AUDIENCE,
      issuer: this.issuer,
      jwks: this.jwks(),
    });
  }
}

async function createKeyFile(directory: string, file: string): Promise<void> {
  const { privateKey } = await generateKeyPair(ALG, { extractable: true });
  const privateJwk = await exportJWK(privateKey);
  const { d: _d, ...publicPart } = privateJwk;
  privateJwk.kid = await calculateJwkThumbprint(publicPart);
  privateJwk.alg = ALG;
  const temporary = join(directory, `.${KEY_FILE}.${randomBytes(6).toString('hex')}`);
  writeFileSync(temporary, JSON.stringify({ privateJwk } satisfies StoredKey), { mode: 0o600, flag: 'wx' });
  try {
    // link() fails if the file exists: when the platform and the token command start at once,
    // the first key written wins and both end up using it.
    linkSync(temporary, file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  } finally {
    unlinkSync(temporary);
  }
}
