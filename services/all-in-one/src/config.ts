import { EnvFlag } from '@safecity/service-kit';
import { IsBoolean, IsInt, IsOptional, IsString, Matches, Max, Min } from 'class-validator';

/** Environment of the embedded default; every value has a default so `npm start` needs none. */
export class AllInOneConfig {
  /** Where the embedded PostgreSQL keeps its data between runs. */
  @IsString()
  DATA_DIR: string = '.data';

  /** Use this PostgreSQL server instead of the embedded one. */
  @IsOptional()
  @Matches(/^postgres(ql)?:\/\//, { message: 'DATABASE_URL must be a postgres:// URL' })
  DATABASE_URL?: string;

  @IsInt()
  @Min(1024)
  @Max(65535)
  EMBEDDED_POSTGRES_PORT: number = 54329;

  @IsString()
  HTTP_HOST: string = '127.0.0.1';

  @IsInt()
  @Min(0)
  @Max(65535)
  CAMERA_REGISTRY_HTTP_PORT: number = 3001;

  @IsInt()
  @Min(0)
  @Max(65535)
  RECOGNITION_HTTP_PORT: number = 3002;

  @IsInt()
  @Min(0)
  @Max(65535)
  INCIDENTS_HTTP_PORT: number = 3003;

  @IsInt()
  @Min(0)
  @Max(65535)
  PREVENTION_HTTP_PORT: number = 3004;

  @IsInt()
  @Min(0)
  @Max(65535)
  VIDEO_ANALYTICS_HTTP_PORT: number = 3005;

  @IsInt()
  @Min(1024)
  @Max(65535)
  CAMERA_REGISTRY_GRPC_PORT: number = 50051;

  @IsInt()
  @Min(1024)
  @Max(65535)
  RECOGNITION_GRPC_PORT: number = 50052;

  @IsInt()
  @Min(1024)
  @Max(65535)
  INCIDENTS_GRPC_PORT: number = 50053;

  @IsInt()
  @Min(1024)
  @Max(65535)
  PREVENTION_GRPC_PORT: number = 50054;

  /** Detections per second the simulator sends from the demo cameras; 0 turns it off. */
  @IsInt()
  @Min(0)
  @Max(10_000)
  DEMO_DETECTIONS_PER_SECOND: number = 2;

  /** Seed the demo inventory on an empty database. */
  @EnvFlag()
  @IsBoolean()
  SEED_DEMO: boolean = true;
}
