import { IdentityConfig } from '@safecity/security';
import { EnvFlag } from '@safecity/service-kit';
import { IsBoolean, IsIn, IsInt, IsOptional, IsString, Matches, Max, Min } from 'class-validator';

/** Environment of a standalone recognition process. */
export class RecognitionConfig extends IdentityConfig {
  @Matches(/^postgres(ql)?:\/\//, { message: 'DATABASE_URL must be a postgres:// URL' })
  DATABASE_URL!: string;

  @IsString()
  KAFKA_BROKERS!: string;

  @IsInt()
  @Min(0)
  @Max(65535)
  HTTP_PORT: number = 3002;

  @IsString()
  HTTP_HOST: string = '0.0.0.0';

  @Matches(/^[^:]+:\d+$/, { message: 'CAMERA_REGISTRY_GRPC_URL must be host:port' })
  CAMERA_REGISTRY_GRPC_URL: string = '127.0.0.1:50051';

  @EnvFlag()
  @IsBoolean()
  RUN_MIGRATIONS: boolean = false;

  @IsInt()
  @Min(1)
  @Max(20)
  EVENT_MAX_ATTEMPTS: number = 4;

  /** Kafka consumer group session timeout; a crashed instance's partitions move after this long. */
  @IsInt()
  @Min(6_000)
  @Max(300_000)
  KAFKA_SESSION_TIMEOUT_MS: number = 30_000;

  @IsOptional()
  @IsIn(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
  LOG_LEVEL?: string;
}
