import { ServiceConfig } from '@safecity/service-kit';
import { IsInt, Matches, Max, Min } from 'class-validator';

/** Environment of a standalone camera-registry process. */
export class CameraRegistryConfig extends ServiceConfig {
  @IsInt()
  @Min(0)
  @Max(65535)
  HTTP_PORT: number = 3001;

  @Matches(/^[^:]+:\d+$/, { message: 'GRPC_URL must be host:port' })
  GRPC_URL: string = '0.0.0.0:50051';
}
