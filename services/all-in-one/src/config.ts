import { IsInt, IsOptional, IsString, Matches, Max, Min } from 'class-validator';

/** Environment of the embedded default; every value has a default so `npm start` needs none. */
export class AllInOneConfig {
  /** Where the embedded PostgreSQL keeps its data between runs. */
  @IsString()
  DATA_DIR = '.data';

  /** Use this PostgreSQL server instead of the embedded one. */
  @IsOptional()
  @Matches(/^postgres(ql)?:\/\//, { message: 'DATABASE_URL must be a postgres:// URL' })
  DATABASE_URL?: string;

  @IsInt()
  @Min(1024)
  @Max(65535)
  EMBEDDED_POSTGRES_PORT = 54329;

  @IsString()
  HTTP_HOST = '127.0.0.1';

  @IsInt()
  @Min(0)
  @Max(65535)
  CAMERA_REGISTRY_HTTP_PORT = 3001;

  @IsInt()
  @Min(0)
  @Max(65535)
  RECOGNITION_HTTP_PORT = 3002;

  @IsInt()
  @Min(1024)
  @Max(65535)
  CAMERA_REGISTRY_GRPC_PORT = 50051;

  /** Seed the demo inventory on an empty database. */
  @IsString()
  SEED_DEMO = 'true';
}
