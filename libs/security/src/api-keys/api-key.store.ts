import type { DataSource, EntityManager } from 'typeorm';
import { isRegionCode } from '../regions';
import type { SqlExecutor } from '../region-scope/row-level-security';
import { ident, qualified } from '../sql';
import { generateApiKey, parseApiKey, secretMatches } from './api-key';

export const DEFAULT_API_KEY_TABLE = 'api_keys';

/** Table of a service's video-system API keys; call from a migration. Secrets are never stored. */
export async function createApiKeyTable(
  queryRunner: SqlExecutor,
  schema: string,
  table = DEFAULT_API_KEY_TABLE,
): Promise<void> {
  const t = qualified(schema, table);
  await queryRunner.query(`
    CREATE TABLE ${t} (
      key_id          text        PRIMARY KEY CHECK (key_id ~ '^[a-z2-7]{12}$'),
      video_system_id text        NOT NULL,
      region_code     text        NOT NULL,
      secret_sha256   bytea       NOT NULL CHECK (octet_length(secret_sha256) = 32),
      label           text,
      created_at      timestamptz NOT NULL DEFAULT now(),
      expires_at      timestamptz,
      revoked_at      timestamptz,
      rotated_to      text        REFERENCES ${t} (key_id)
    )`);
  await queryRunner.query(
    `CREATE INDEX ${ident(`${table}_video_system_idx`)} ON ${t} (video_system_id, created_at)`,
  );
}

export async function dropApiKeyTable(
  queryRunner: SqlExecutor,
  schema: string,
  table = DEFAULT_API_KEY_TABLE,
) {
  await queryRunner.query(`DROP TABLE IF EXISTS ${qualified(schema, table)}`);
}

/** A new key: `apiKey` is the only time the secret exists outside the caller's hands. */
export interface IssuedApiKey {
  apiKey: string;
  keyId: string;
  videoSystemId: string;
  regionCode: string;
  createdAt: Date;
  expiresAt: Date | null;
}

/** A stored key as administrators see it: never the secret or its hash. */
export interface ApiKeyRecord {
  keyId: string;
  videoSystemId: string;
  regionCode: string;
  label: string | null;
  createdAt: Date;
  expiresAt: Date | null;
  revokedAt: Date | null;
  rotatedTo: string | null;
  active: boolean;
}

/** A key that matched and is active now. */
export interface VerifiedApiKey {
  keyId: string;
  videoSystemId: string;
  regionCode: string;
  expiresAt: Date | null;
}

export interface RotatedApiKey {
  replacement: IssuedApiKey;
  /** When the old key stops working. */
  previousExpiresAt: Date;
}

export class ApiKeyNotFoundError extends Error {
  constructor(readonly keyId: string) {
    super(`no active API key ${keyId}`);
    this.name = 'ApiKeyNotFoundError';
  }
}

export interface IssueApiKeyRequest {
  videoSystemId: string;
  regionCode: string;
  label?: string;
  expiresAt?: Date;
}

export interface Duration {
  days?: number;
  hours?: number;
  minutes?: number;
  seconds?: number;
}

export function durationSeconds(duration: Duration): number {
  const seconds =
    (duration.days ?? 0) * 86_400 +
    (duration.hours ?? 0) * 3_600 +
    (duration.minutes ?? 0) * 60 +
    (duration.seconds ?? 0);
  if (!Number.isFinite(seconds) || seconds < 0)
    throw new RangeError(`invalid duration ${JSON.stringify(duration)}`);
  return seconds;
}

export interface ApiKeyStoreOptions {
  /** Qualify the table with this schema; default: unqualified (the data source pins search_path). */
  schema?: string;
  table?: string;
  /** Default overlap of a rotation: 24 hours. */
  rotationOverlap?: Duration;
}

interface KeyRow {
  key_id: string;
  video_system_id: string;
  region_code: string;
  label: string | null;
  created_at: Date;
  expires_at: Date | null;
  revoked_at: Date | null;
  rotated_to: string | null;
  active: boolean;
}

const COLUMNS = `key_id, video_system_id, region_code, label, created_at, expires_at, revoked_at, rotated_to,
  (revoked_at IS NULL AND (expires_at IS NULL OR expires_at > now())) AS active`;

/**
 * Video-system API keys in the service's own schema. Issue, rotate (the old key keeps working for
 * an overlap window so the system can be reconfigured without downtime), revoke (at once), verify.
 */
export class ApiKeyStore {
  private readonly table: string;
  private readonly overlapSeconds: number;
  private readonly revocationListeners = new Set<(keyId: string) => void>();

  constructor(
    private readonly dataSource: DataSource,
    options: ApiKeyStoreOptions = {},
  ) {
    const table = options.table ?? DEFAULT_API_KEY_TABLE;
    this.table = options.schema ? qualified(options.schema, table) : ident(table, 'table');
    this.overlapSeconds = durationSeconds(options.rotationOverlap ?? { hours: 24 });
  }

  async issue(request: IssueApiKeyRequest, manager?: EntityManager): Promise<IssuedApiKey> {
    if (!request.videoSystemId || request.videoSystemId.length > 200) {
      throw new RangeError('videoSystemId must be 1 to 200 characters');
    }
    if (!isRegionCode(request.regionCode)) throw new RangeError(`unknown region code ${request.regionCode}`);
    const executor = manager ?? this.dataSource;
    for (let attempt = 0; ; attempt++) {
      const { apiKey, keyId, secretHash } = generateApiKey();
      try {
        const rows = (await executor.query(
          `INSERT INTO ${this.table} (key_id, video_system_id, region_code, secret_sha256, label, expires_at)
           VALUES ($1, $2, $3, $4, $5, $6) RETURNING created_at, expires_at`,
          [
            keyId,
            request.videoSystemId,
            request.regionCode,
            secretHash,
            request.label ?? null,
            request.expiresAt ?? null,
          ],
        )) as { created_at: Date; expires_at: Date | null }[];
        const row = rows[0] as { created_at: Date; expires_at: Date | null };
        return {
          apiKey,
          keyId,
          videoSystemId: request.videoSystemId,
          regionCode: request.regionCode,
          createdAt: row.created_at,
          expiresAt: row.expires_at,
        };
      } catch (error) {
        // 60 random bits of key id collide practically never; retry rather than fail if they do.
        if ((error as { code?: string }).code !== '23505' || attempt >= 3) throw error;
      }
    }
  }

  /**
   * Issues a replacement for an active key and lets the old one expire after `overlap` (default
   * 24 h; never later than it would have anyway). The replacement expires at `expiresAt`, if given.
   */
  async rotate(
    keyId: string,
    options: { overlap?: Duration; expiresAt?: Date } = {},
    manager?: EntityManager,
  ): Promise<RotatedApiKey> {
    const overlap = options.overlap ? durationSeconds(options.overlap) : this.overlapSeconds;
    const work = async (m: EntityManager): Promise<RotatedApiKey> => {
      const rows = (await m.query(`SELECT ${COLUMNS} FROM ${this.table} WHERE key_id = $1 FOR UPDATE`, [
        keyId,
      ])) as KeyRow[];
      const current = rows[0];
      if (!current?.active || current.rotated_to) throw new ApiKeyNotFoundError(keyId);
      const replacement = await this.issue(
        {
          videoSystemId: current.video_system_id,
          regionCode: current.region_code,
          label: current.label ?? undefined,
          expiresAt: options.expiresAt,
        },
        m,
      );
      const updated = (await m.query(
        `UPDATE ${this.table}
            SET expires_at = LEAST(COALESCE(expires_at, 'infinity'), now() + make_interval(secs => $2)),
                rotated_to = $3
          WHERE key_id = $1 RETURNING expires_at`,
        [keyId, overlap, replacement.keyId],
      )) as [{ expires_at: Date }[], number];
      return { replacement, previousExpiresAt: (updated[0][0] as { expires_at: Date }).expires_at };
    };
    return manager ? work(manager) : this.dataSource.transaction(work);
  }

  /** Revokes at once; returns false if the key was unknown or already revoked. */
  async revoke(keyId: string, manager?: EntityManager): Promise<boolean> {
    const result = (await (manager ?? this.dataSource).query(
      `UPDATE ${this.table} SET revoked_at = now() WHERE key_id = $1 AND revoked_at IS NULL RETURNING key_id`,
      [keyId],
    )) as [unknown[], number];
    const revoked = result[1] > 0;
    if (revoked) for (const listener of this.revocationListeners) listener(keyId);
    return revoked;
  }

  /** Revokes every key of a video system (decommissioned, or its keys leaked); returns their ids. */
  async revokeAllFor(videoSystemId: string, manager?: EntityManager): Promise<string[]> {
    const result = (await (manager ?? this.dataSource).query(
      `UPDATE ${this.table} SET revoked_at = now() WHERE video_system_id = $1 AND revoked_at IS NULL RETURNING key_id`,
      [videoSystemId],
    )) as [{ key_id: string }[], number];
    const ids = result[0].map((row) => row.key_id);
    for (const id of ids) for (const listener of this.revocationListeners) listener(id);
    return ids;
  }

  async list(videoSystemId: string): Promise<ApiKeyRecord[]> {
    const rows = (await this.dataSource.query(
      `SELECT ${COLUMNS} FROM ${this.table} WHERE video_system_id = $1 ORDER BY created_at, key_id`,
      [videoSystemId],
    )) as KeyRow[];
    return rows.map(toRecord);
  }

  async get(keyId: string): Promise<ApiKeyRecord | undefined> {
    const rows = (await this.dataSource.query(`SELECT ${COLUMNS} FROM ${this.table} WHERE key_id = $1`, [
      keyId,
    ])) as KeyRow[];
    return rows[0] ? toRecord(rows[0]) : undefined;
  }

  /** The key's owner if `presented` is an active key, else undefined. */
  async verify(presented: string): Promise<VerifiedApiKey | undefined> {
    const parsed = parseApiKey(presented);
    if (!parsed) return undefined;
    const rows = (await this.dataSource.query(
      `SELECT ${COLUMNS}, secret_sha256 FROM ${this.table} WHERE key_id = $1`,
      [parsed.keyId],
    )) as (KeyRow & { secret_sha256: Buffer })[];
    const row = rows[0];
    // Compare even for an unknown key id, so the answer takes as long either way.
    const matches = secretMatches(parsed.secret, row?.secret_sha256 ?? UNKNOWN_KEY_HASH);
    if (!row || !matches || !row.active) return undefined;
    return {
      keyId: row.key_id,
      videoSystemId: row.video_system_id,
      regionCode: row.region_code,
      expiresAt: row.expires_at,
    };
  }

  /** Called with the key id after each revocation through this store (same process). */
  onRevoked(listener: (keyId: string) => void): () => void {
    this.revocationListeners.add(listener);
    return () => this.revocationListeners.delete(listener);
  }
}

const UNKNOWN_KEY_HASH = Buffer.alloc(32);

function toRecord(row: KeyRow): ApiKeyRecord {
  return {
    keyId: row.key_id,
    videoSystemId: row.video_system_id,
    regionCode: row.region_code,
    label: row.label,
    createdAt: row.created_at,
    expiresAt: row.expires_at,
    revokedAt: row.revoked_at,
    rotatedTo: row.rotated_to,
    active: row.active,
  };
}
