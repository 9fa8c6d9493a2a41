import { BadRequestException, Controller, Get, Headers, Query, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiHeader, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, Operation, type Principal } from '@safecity/security';
import type { Request, Response } from 'express';
import { INCIDENTS_POLICIES as P } from '../incidents.policies';
import { DEFAULT_READ_PURPOSE, PURPOSE_HEADER, ReadPurpose } from '../incidents/face-match-reads';
import { IncidentStream } from './incident-stream';

/** Bytes a slow client may have queued before it is dropped (it resumes with Last-Event-ID). */
const MAX_QUEUED_BYTES = 4 * 1024 * 1024;
const HEARTBEAT_MS = 15_000;

@ApiTags('live')
@ApiBearerAuth()
@Controller('incidents')
export class LiveController {
  constructor(private readonly streams: IncidentStream) {}

  /**
   * Server-Sent Events: every change of an incident the caller may see (`event: incident`, `id` =
   * change sequence). On reconnect, Last-Event-ID (header, or `lastEventId` query) resumes after
   * that change. `regions` narrows the stream within the caller's regions. The face-match
   * incidents it carries are audited, with the purpose stated in `X-Purpose`.
   */
  @Get('stream')
  @Operation(P.streamIncidents)
  @ApiHeader({ name: PURPOSE_HEADER, required: false, description: `default "${DEFAULT_READ_PURPOSE}"` })
  async stream(
    @CurrentPrincipal() principal: Principal,
    @ReadPurpose() purpose: string,
    @Headers('last-event-id') lastEventHeader: string | undefined,
    @Query('lastEventId') lastEventQuery: string | undefined,
    @Query('regions') regionsQuery: string | undefined,
    @Req() request: Request,
    @Res() response: Response,
  ) {
    const raw = lastEventHeader ?? lastEventQuery;
    if (raw !== undefined && !/^\d{1,15}$/.test(raw)) {
      throw new BadRequestException({
        statusCode: 400,
        message: 'request validation failed',
        problems: [{ field: 'Last-Event-ID', reason: 'must be the id of an event this stream sent' }],
      });
    }
    const regions = regionsQuery ? new Set(regionsQuery.split(',').filter(Boolean)) : null;
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
      unsubscribe?.();
    });
    unsubscribe = await this.streams.open(
      { actor: principal, purpose },
      {
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
      raw === undefined ? null : Number(raw),
    );
    if (closed) unsubscribe();
  }
}
