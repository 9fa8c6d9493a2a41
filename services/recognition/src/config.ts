import { ServiceConfig } from '@safecity/service-kit';
import { IsInt, Matches, Max, Min } from 'class-validator';

/** Environment of a standalone recognition process. */
export class RecognitionConfig extends ServiceConfig {
  @IsInt()
  @Min(0)
  @Max(65535)
  HTTP_PORT: number = 3002;

  @Matches(/^[^:]+:\d+$/, { message: 'CAMERA_REGISTRY_GRPC_URL must be host:port' })
  CAMERA_REGISTRY_GRPC_URL: string = '127.0.0.1:50051';

  @IsInt()
  @Min(1)
  @Max(20)
  EVENT_MAX_ATTEMPTS: number = 4;

  /** Kafka consumer group session timeout; a crashed instance's partitions move after this long. */
  @IsInt()
  @Min(6_000)
  @Max(300_000)
  KAFKA_SESSION_TIMEOUT_MS: number = 30_000;
}
