import { ServiceConfig } from '@safecity/service-kit';
import { IsInt, IsOptional, IsString, Matches, Max, Min } from 'class-validator';

/** Environment of a standalone incidents process. */
export class IncidentsConfig extends ServiceConfig {
  @IsInt()
  @Min(0)
  @Max(65535)
  HTTP_PORT: number = 3003;

  @Matches(/^[^:]+:\d+$/, { message: 'GRPC_URL must be host:port' })
  GRPC_URL: string = '0.0.0.0:50053';

  @Matches(/^[^:]+:\d+$/, { message: 'CAMERA_REGISTRY_GRPC_URL must be host:port' })
  CAMERA_REGISTRY_GRPC_URL: string = '127.0.0.1:50051';

  /** Where face matches are confirmed: a face-match incident is verified by confirming its match. */
  @Matches(/^[^:]+:\d+$/, { message: 'RECOGNITION_GRPC_URL must be host:port' })
  RECOGNITION_GRPC_URL: string = '127.0.0.1:50052';

  @IsInt()
  @Min(1)
  @Max(20)
  EVENT_MAX_ATTEMPTS: number = 4;

  /** Kafka consumer group session timeout; a crashed instance's partitions move after this long. */
  @IsInt()
  @Min(6_000)
  @Max(300_000)
  KAFKA_SESSION_TIMEOUT_MS: number = 6_000;

  /**
   * How often the live stream looks for incident changes other instances committed; this
   * instance's own go out as they commit.
   */
  @IsInt()
  @Min(50)
  @Max(60_000)
  LIVE_FEED_POLL_INTERVAL_MS: number = 250;

  /**
   * The least time between two writes of the live stream to its clients: changes committed
   * meanwhile go out in one write (each write costs about the same whatever it carries).
   */
  @IsInt()
  @Min(0)
  @Max(1_000)
  LIVE_FEED_FLUSH_INTERVAL_MS: number = 20;

  /**
   * The least time between two passes of the outbox relay while changes trickle in: the
   * `IncidentChanged` events committed meanwhile go out in one transaction and one request.
   */
  @IsInt()
  @Min(0)
  @Max(1_000)
  OUTBOX_LINGER_MS: number = 50;

  /** Live streams (`GET /incidents/stream`) one identity may hold open at once; 429 beyond. */
  @IsInt()
  @Min(1)
  @Max(1_000)
  LIVE_STREAMS_PER_USER: number = 10;

  /** Citizen reports without a citizen id one source may send at once (channel and submitter). */
  @IsInt()
  @Min(1)
  @Max(100_000)
  CITIZEN_ANONYMOUS_REPORTS_BURST: number = 60;

  /** … and per minute after that burst; 429 with Retry-After beyond. */
  @IsInt()
  @Min(1)
  @Max(100_000)
  CITIZEN_ANONYMOUS_REPORTS_PER_MINUTE: number = 30;

  /**
   * Days a dismissed incident (false alarm, duplicate, nothing to do) is kept after its dismissal,
   * with its evidence; at least 14, as long as redelivered events are recognised.
   */
  @IsInt()
  @Min(14)
  @Max(3650)
  DISMISSED_INCIDENT_RETENTION_DAYS: number = 30;

  /** Days a resolved or closed incident is kept after it ended, with its evidence and history. */
  @IsInt()
  @Min(14)
  @Max(3650)
  INCIDENT_RETENTION_DAYS: number = 1095;

  /**
   * Days a citizen's contact data (the channel's citizen id, a phone or e-mail given with consent)
   * is kept after the report came in; never longer than a dismissed incident.
   */
  @IsInt()
  @Min(1)
  @Max(3650)
  CITIZEN_CONTACT_RETENTION_DAYS: number = 30;

  /**
   * Correlation rules per source type as JSON, e.g.
   * `{"plate":{"windowSeconds":1800},"behaviour":{"windowSeconds":300,"radiusMeters":150}}`;
   * unset types keep their defaults.
   */
  @IsOptional()
  @IsString()
  INCIDENT_CORRELATION?: string;

  /** SLA minutes per priority as JSON, e.g. `{"critical":{"verifyMinutes":1,"dispatchMinutes":3}}`. */
  @IsOptional()
  @IsString()
  INCIDENT_SLA?: string;
}
