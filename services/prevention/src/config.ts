import { ServiceConfig } from '@safecity/service-kit';
import { IsInt, Matches, Max, Min } from 'class-validator';

/** Environment of a standalone prevention process. */
export class PreventionConfig extends ServiceConfig {
  @IsInt()
  @Min(0)
  @Max(65535)
  HTTP_PORT: number = 3004;

  @Matches(/^[^:]+:\d+$/, { message: 'GRPC_URL must be host:port' })
  GRPC_URL: string = '0.0.0.0:50054';

  @IsInt()
  @Min(1)
  @Max(20)
  EVENT_MAX_ATTEMPTS: number = 4;

  /** Kafka consumer group session timeout; a crashed instance's partitions move after this long. */
  @IsInt()
  @Min(6_000)
  @Max(300_000)
  KAFKA_SESSION_TIMEOUT_MS: number = 6_000;

  /** Days a person's or family's data is kept after their last case closed (default five years). */
  @IsInt()
  @Min(1)
  @Max(3650)
  SUBJECT_RETENTION_DAYS: number = 1826;
}
