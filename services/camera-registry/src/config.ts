import { IdentityConfig } from '@safecity/security';
import { EnvFlag } from '@safecity/service-kit';
import { IsBoolean, IsIn, IsInt, IsOptional, IsString, Matches, Max, Min } from 'class-validator';

/** Environment of a standalone camera-registry process. */
export class CameraRegistryConfig extends IdentityConfig {
  @Matches(/^postgres(ql)?:\/\//, { message: 'DATABASE_URL must be a postgres:// URL' })
  DATABASE_URL!: string;

  /** Comma-separated Kafka bootstrap servers. */
  @IsString()
  KAFKA_BROKERS!: string;

  @IsInt()
  @Min(0)
  @Max(65535)
  HTTP_PORT: number = 3001;

  @IsString()
  HTTP_HOST: string = '0.0.0.0';

  @Matches(/^[^:]+:\d+$/, { message: 'GRPC_URL must be host:port' })
  GRPC_URL: string = '0.0.0.0:50051';

  /** Apply pending migrations at start-up (otherwise run `npm run migrate -- camera-registry`). */
  @EnvFlag()
  @IsBoolean()
  RUN_MIGRATIONS: boolean = false;

  @IsOptional()
  @IsIn(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
  LOG_LEVEL?: string;
}
