import { Controller, Get, Headers, Query, Req, Res } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiHeader,
  ApiOkResponse,
  ApiProduces,
  ApiQuery,
  ApiTags,
  ApiTooManyRequestsResponse,
} from '@nestjs/swagger';
import { CurrentPrincipal, Operation, Purpose, type Principal } from '@safecity/security';
import { InvalidError } from '@safecity/service-kit';
import type { Request, Response } from 'express';
import { INCIDENTS_POLICIES as P } from '../incidents.policies';
import { DEFAULT_READ_PURPOSE } from '../incidents/face-match-reads';
import { StreamIncidentsUseCase } from './use-cases/stream-incidents/stream-incidents.use-case';
import { LiveStreamQuota } from './stream-quota';

/** Bytes a slow client may have queued before it is dropped (it resumes with Last-Event-ID). */
const MAX_QUEUED_BYTES = 4 * 1024 * 1024;
const HEARTBEAT_MS = 15_000;

@ApiTags('live')
@ApiBearerAuth()
@Controller('incidents')
export class LiveController {
  constructor(
    private readonly streamIncidents: StreamIncidentsUseCase,
    private readonly quota: LiveStreamQuota,
  ) {}

  /**
   * Server-Sent Events: every change of an incident the caller may see (`event: incident`, `id` =
   * change sequence). On reconnect, Last-Event-ID (header, or `lastEventId` query) resumes after
   * that change. `regions` narrows the stream within the caller's regions. The face-match
   * incidents it carries are audited, with the purpose stated in `X-Purpose`. Each user holds at
   * most `LIVE_STREAMS_PER_USER` streams at once (default 10); beyond that 429 with Retry-After.
   */
  @Get('stream')
  @ApiProduces('text/event-stream')
  @ApiHeader({
    name: 'Last-Event-ID',
    required: false,
    description: 'resume after this change (`id` of an event)',
  })
  @ApiQuery({
    name: 'lastEventId',
    required: false,
    description: 'as Last-Event-ID, for clients that cannot set it',
  })
  @ApiQuery({
    name: 'regions',
    required: false,
    description: "comma-separated region codes narrowing the stream within the caller's regions",
    example: 'ALA,AST',
  })
  @ApiOkResponse({
    description:
      '`retry: 2000`, then per change `id: <seq>`, `event: incident`, `data: <FeedEntry JSON: seq, ' +
      'incidentId, kind, incident>`; `: keep-alive` comments every 15 s; `event: closed` with a ' +
      'reason when the server drops a client that cannot keep up (it resumes with Last-Event-ID).',
    schema: { type: 'string' },
  })
  @ApiTooManyRequestsResponse({
    description: 'the caller already holds LIVE_STREAMS_PER_USER streams; see Retry-After',
  })
  @Operation(P.streamIncidents)
  async stream(
    @CurrentPrincipal() principal: Principal,
    @Purpose(DEFAULT_READ_PURPOSE) purpose: string,
    @Headers('last-event-id') lastEventHeader: string | undefined,
    @Query('lastEventId') lastEventQuery: string | undefined,
    @Query('regions') regionsQuery: string | undefined,
    @Req() request: Request,
    @Res() response: Response,
  ) {
    const raw = lastEventHeader ?? lastEventQuery;
    if (raw !== undefined && !/^\d{1,15}$/.test(raw)) {
      throw new InvalidError(
        { field: 'Last-Event-ID', reason: 'must be the id of an event this stream sent' },
        { malformed: true },
      );
    }
    const regions = regionsQuery ? new Set(regionsQuery.split(',').filter(Boolean)) : null;
    // Past the quota: 429 with Retry-After, by the domain errors' mapping.
    const release = this.quota.acquire(principal);
    response.status(200);
    response.setHeader('content-type', 'text/event-stream; charset=utf-8');
    response.setHeader('cache-control', 'no-cache, no-transform');
    response.setHeader('connection', 'keep-alive');
    response.setHeader('x-accel-buffering', 'no');
    response.flushHeaders();
    response.write('retry: 2000\n\n');
    request.socket.setNoDelay(true);
    let closed = false;
    let unsubscribe: (() => void) | null = null;
    const heartbeat = setInterval(() => response.write(': keep-alive\n\n'), HEARTBEAT_MS);
    // Registered before the backlog is read: a client gone meanwhile must not stay subscribed.
    request.on('close', () => {
      closed = true;
      clearInterval(heartbeat);
      release();
      unsubscribe?.();
    });
    unsubscribe = await this.streamIncidents.execute({
      actor: principal,
      purpose,
      client: {
        regions,
        send: (text) => {
          if (closed) return true;
          response.write(text);
          return response.writableLength <= MAX_QUEUED_BYTES;
        },
        close: (reason) => {
          if (closed) return;
          response.write(`event: closed\ndata: ${JSON.stringify({ reason })}\n\n`);
          response.end();
        },
      },
      lastEventId: raw === undefined ? null : Number(raw),
    });
    if (closed) unsubscribe();
  }
}
