import { Controller, Get, Query, type Type } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { decodeCursor, encodeCursor, MAX_PAGE_SIZE, type Page } from '@safecity/service-kit';
import { Type as TransformType } from 'class-transformer';
import { IsInt, IsISO8601, IsOptional, IsString, Length, Max, Min } from 'class-validator';
import type { DataSource } from 'typeorm';
import { CurrentPrincipal } from '../auth/decorators';
import { Operation, UseCase } from '../policy/decorators';
import { SECURITY_POLICIES } from '../policy/security.policies';
import type { Principal } from '../principal';
import { RegionScope } from '../region-scope/region-scope';
import { qualified } from '../sql';
import {
  AUDIT_ACTIONS,
  DEFAULT_AUDIT_TABLE,
  fromAuditRow,
  type AuditRecord,
  type AuditRow,
} from './audit-record';

export const DEFAULT_AUDIT_PAGE_SIZE = 100;

export interface AuditLogQuery {
  objectType?: string;
  objectId?: string;
  /** Actor subject. */
  actor?: string;
  /** Inclusive. */
  from?: Date;
  /** Exclusive. */
  to?: Date;
  /** 1 to 500; default 100. */
  limit?: number;
  cursor?: string;
}

/** A record as the REST API shows it. */
export type AuditRecordView = Omit<AuditRecord, 'recordedAt'> & { recordedAt: string };

export function toAuditRecordView(record: AuditRecord): AuditRecordView {
  return { ...record, recordedAt: record.recordedAt.toISOString() };
}

/** Reads a service's audit log for auditors: by object, actor and time, newest first. */
export class AuditQueryService {
  private readonly table: string;

  constructor(
    private readonly dataSource: DataSource,
    options: { schema: string; table?: string },
  ) {
    this.table = qualified(options.schema, options.table ?? DEFAULT_AUDIT_TABLE);
  }

  /** Records in the scope's regions (records without a region only for a scope of every region). */
  @UseCase(SECURITY_POLICIES.readAuditLog)
  async query(query: AuditLogQuery, scope: RegionScope): Promise<Page<AuditRecord>> {
    const limit = query.limit ?? DEFAULT_AUDIT_PAGE_SIZE;
    if (!Number.isInteger(limit) || limit < 1 || limit > MAX_PAGE_SIZE) {
      throw new RangeError(`limit must be an integer from 1 to ${MAX_PAGE_SIZE}`);
    }
    const conditions: string[] = [];
    const parameters: unknown[] = [];
    const add = (condition: (placeholder: string) => string, value: unknown) => {
      parameters.push(value);
      conditions.push(condition(`$${parameters.length}`));
    };
    if (!scope.all) add((p) => `region_code = ANY(${p}::text[])`, [...scope.regions]);
    if (query.objectType !== undefined) add((p) => `object_type = ${p}`, query.objectType);
    if (query.objectId !== undefined) add((p) => `object_id = ${p}`, query.objectId);
    if (query.actor !== undefined) add((p) => `actor_subject = ${p}`, query.actor);
    if (query.from !== undefined) add((p) => `recorded_at >= ${p}`, query.from);
    if (query.to !== undefined) add((p) => `recorded_at < ${p}`, query.to);
    const after = decodeCursor(query.cursor, { seq: 'integer' });
    if (after) add((p) => `seq < ${p}`, after.seq);
    parameters.push(limit + 1);
    const rows = (await this.dataSource.query(
      `SELECT * FROM ${this.table} ${conditions.length ? `WHERE ${conditions.join(' AND ')}` : ''}
        ORDER BY seq DESC LIMIT $${parameters.length}`,
      parameters,
    )) as AuditRow[];
    const items = rows.slice(0, limit).map(fromAuditRow);
    const last = items[items.length - 1];
    return { items, nextCursor: rows.length > limit && last ? encodeCursor({ seq: last.seq }) : null };
  }
}

export class AuditLogQueryDto {
  @ApiPropertyOptional({ example: 'watchlist-entry' })
  @IsOptional()
  @IsString()
  @Length(1, 200)
  objectType?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @Length(1, 200)
  objectId?: string;

  @ApiPropertyOptional({ description: 'Subject of the actor (token `sub`, video system id)' })
  @IsOptional()
  @IsString()
  @Length(1, 200)
  actor?: string;

  @ApiPropertyOptional({ example: '2025-05-01T00:00:00Z', description: 'Inclusive' })
  @IsOptional()
  @IsISO8601({ strict: true })
  from?: string;

  @ApiPropertyOptional({ example: '2025-06-01T00:00:00Z', description: 'Exclusive' })
  @IsOptional()
  @IsISO8601({ strict: true })
  to?: string;

  @ApiPropertyOptional({ minimum: 1, maximum: MAX_PAGE_SIZE, default: DEFAULT_AUDIT_PAGE_SIZE })
  @IsOptional()
  @TransformType(() => Number)
  @IsInt()
  @Min(1)
  @Max(MAX_PAGE_SIZE)
  limit?: number;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @Length(1, 200)
  cursor?: string;
}

const text = (description?: string, nullable = false) => ({ type: 'string', description, nullable });

/** The answer of `GET /audit-log`, as {@link AuditRecordView} is written to JSON. */
export const AUDIT_PAGE_SCHEMA = {
  type: 'object',
  required: ['items', 'nextCursor'],
  properties: {
    items: {
      type: 'array',
      items: {
        type: 'object',
        required: [
          'seq',
          'id',
          'recordedAt',
          'actorSubject',
          'actorKind',
          'actorRoles',
          'regionCode',
          'action',
          'objectType',
          'objectId',
          'purpose',
          'legalBasis',
          'details',
          'prevHash',
          'hash',
        ],
        properties: {
          seq: { type: 'integer', description: 'position in the chain: 1, 2, 3, ... without gaps' },
          id: text(),
          recordedAt: { type: 'string', format: 'date-time' },
          actorSubject: text('token subject, video system id or service name'),
          actorKind: { type: 'string', enum: ['user', 'service', 'video-system'] },
          actorRoles: { type: 'array', items: { type: 'string' } },
          regionCode: text(undefined, true),
          action: { type: 'string', enum: [...AUDIT_ACTIONS] },
          objectType: text(),
          objectId: text(),
          purpose: text('the purpose stated for a read or disclosure', true),
          legalBasis: text(undefined, true),
          details: { type: 'object', additionalProperties: true },
          prevHash: text('hash of the record before it (64 zeros for the first)'),
          hash: text('sha256 of prevHash and the canonical JSON of the other fields'),
        },
      },
    },
    nextCursor: text('the cursor of the next page; null on the last', true),
  },
};

/**
 * `GET /<path>?objectType=&objectId=&actor=&from=&to=&limit=&cursor=` for auditors, over the
 * `AuditQueryService` the service provides. Scoped to the auditor's regions.
 */
export function createAuditLogController(options: { path?: string } = {}): Type<unknown> {
  @ApiTags('audit')
  @ApiBearerAuth()
  @Controller(options.path ?? 'audit-log')
  class AuditLogController {
    constructor(readonly audit: AuditQueryService) {}

    @Get()
    @ApiOkResponse({ schema: AUDIT_PAGE_SCHEMA })
    @Operation(SECURITY_POLICIES.readAuditLog)
    async list(
      @Query() query: AuditLogQueryDto,
      @CurrentPrincipal() principal: Principal,
    ): Promise<Page<AuditRecordView>> {
      const page = await this.audit.query(
        {
          objectType: query.objectType,
          objectId: query.objectId,
          actor: query.actor,
          from: query.from ? new Date(query.from) : undefined,
          to: query.to ? new Date(query.to) : undefined,
          limit: query.limit,
          cursor: query.cursor,
        },
        RegionScope.of(principal),
      );
      return { items: page.items.map(toAuditRecordView), nextCursor: page.nextCursor };
    }
  }
  return AuditLogController;
}
