import { EnvFlag } from '@safecity/service-kit';
import { IsBoolean, IsInt, IsOptional, IsString, Matches, Max, Min } from 'class-validator';

export const DEFAULT_DATA_DIR = '.data';

/** Environment of the embedded default; every value has a default so `npm start` needs none. */
export class AllInOneConfig {
  /** Where the embedded PostgreSQL keeps its data between runs, and the token issuer its key. */
  @IsString()
  DATA_DIR: string = DEFAULT_DATA_DIR;

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
  VIDEO_ANALYTICS_HTTP_PORT: number = 3006;

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

  /** The operations console (its URL is in the start banner). */
  @IsInt()
  @Min(0)
  @Max(65535)
  CONSOLE_HTTP_PORT: number = 3005;

  /** The console's URL as browsers reach it, when not http://<HTTP_HOST>:<CONSOLE_HTTP_PORT>. */
  @IsOptional()
  @Matches(/^https?:\/\//, { message: 'CONSOLE_PUBLIC_URL must be an http(s) URL' })
  CONSOLE_PUBLIC_URL?: string;

  /** A tile server for the console's map (`https://tiles.example.kz/{z}/{x}/{y}.png`); none by default. */
  @IsOptional()
  @IsString()
  MAP_TILE_URL?: string;

  @IsOptional()
  @IsString()
  MAP_TILE_ATTRIBUTION?: string;

  /** The demo's scripted stream of varied incidents (plate hits, behaviour, faces, reports, an outage). */
  @EnvFlag()
  @IsBoolean()
  DEMO_SCENARIO: boolean = true;

  /** Seconds between two events of the demo's scripted stream. */
  @IsInt()
  @Min(1)
  @Max(3600)
  DEMO_SCENARIO_INTERVAL_SECONDS: number = 15;

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
