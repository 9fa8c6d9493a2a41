import { EnvFlag, ServiceConfig } from '@safecity/service-kit';
import { IsBoolean, IsDefined, IsInt, IsString, Matches, Max, Min, ValidateIf } from 'class-validator';

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
  KAFKA_SESSION_TIMEOUT_MS: number = 6_000;

  /** `host:port` of recognition's own gRPC server (matches, behaviour alerts). */
  @Matches(/^[^:]+:\d+$/, { message: 'GRPC_URL must be host:port' })
  GRPC_URL: string = '0.0.0.0:50052';

  /**
   * Base64 of the 32-byte key enrolled face templates are sealed with (AES-256-GCM), kept out of
   * the database. Required: without it templates would be sealed with a key anyone can derive.
   */
  @ValidateIf((c: RecognitionConfig) => !c.FACE_TEMPLATE_KEY_DEVELOPMENT || c.FACE_TEMPLATE_KEY !== undefined)
  @IsDefined({
    message:
      'FACE_TEMPLATE_KEY is required (base64 of 32 random bytes); only a development setup where nothing real is enrolled may instead set FACE_TEMPLATE_KEY_DEVELOPMENT=true',
  })
  @Matches(/^[A-Za-z0-9+/]{43}=$/, { message: 'FACE_TEMPLATE_KEY must be base64 of 32 bytes' })
  FACE_TEMPLATE_KEY?: string;

  /**
   * Development only: without FACE_TEMPLATE_KEY, seal templates with the public development key
   * instead of refusing to start.
   */
  @EnvFlag()
  @IsBoolean()
  FACE_TEMPLATE_KEY_DEVELOPMENT: boolean = false;

  /**
   * Directory of the media store (pictures vendors upload with their events; face pictures only
   * as the evidence of a match), created 0700 with files 0600.
   */
  @IsString()
  MEDIA_DIR: string = '.data/recognition-media';

  /** Days an expired watchlist entry is kept before it is erased. */
  @IsInt()
  @Min(1)
  @Max(3650)
  WATCHLIST_RETENTION_DAYS: number = 30;

  /** Days a match nobody confirmed is kept, with its verifications, after it was raised. */
  @IsInt()
  @Min(1)
  @Max(3650)
  UNCONFIRMED_MATCH_RETENTION_DAYS: number = 90;

  /** Days a confirmed match is kept, with its verifications, after it was raised. */
  @IsInt()
  @Min(1)
  @Max(3650)
  CONFIRMED_MATCH_RETENTION_DAYS: number = 365;

  /** Days a behaviour alert is kept after it was raised. */
  @IsInt()
  @Min(1)
  @Max(3650)
  BEHAVIOUR_ALERT_RETENTION_DAYS: number = 90;
}
