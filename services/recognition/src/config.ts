import { ServiceConfig } from '@safecity/service-kit';
import { IsInt, IsOptional, Matches, Max, Min } from 'class-validator';

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

  /** `host:port` of recognition's own gRPC server (matches, behaviour alerts). */
  @Matches(/^[^:]+:\d+$/, { message: 'GRPC_URL must be host:port' })
  GRPC_URL: string = '0.0.0.0:50052';

  /**
   * Base64 of the 32-byte key enrolled face templates are sealed with (AES-256-GCM). Kept out of
   * the database; without it a development key is used, fit only where nothing real is enrolled.
   */
  @IsOptional()
  @Matches(/^[A-Za-z0-9+/]{43}=$/, { message: 'FACE_TEMPLATE_KEY must be base64 of 32 bytes' })
  FACE_TEMPLATE_KEY?: string;

  /** Days an expired watchlist entry is kept before it is erased. */
  @IsInt()
  @Min(1)
  @Max(3650)
  WATCHLIST_RETENTION_DAYS: number = 30;
}
