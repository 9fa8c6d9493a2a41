import { EnvFlag, ServiceConfig } from '@safecity/service-kit';
import { IsBoolean, IsDefined, IsInt, Matches, Max, Min, ValidateIf } from 'class-validator';

/** Environment of a standalone camera-registry process. */
export class CameraRegistryConfig extends ServiceConfig {
  @IsInt()
  @Min(0)
  @Max(65535)
  HTTP_PORT: number = 3001;

  @Matches(/^[^:]+:\d+$/, { message: 'GRPC_URL must be host:port' })
  GRPC_URL: string = '0.0.0.0:50051';

  /** Seals cameras' media credentials (base64 of 32 bytes); video-analytics holds the same key. */
  @ValidateIf(
    (c: CameraRegistryConfig) =>
      !c.MEDIA_CREDENTIALS_KEY_DEVELOPMENT || c.MEDIA_CREDENTIALS_KEY !== undefined,
  )
  @IsDefined({
    message:
      'MEDIA_CREDENTIALS_KEY is required (base64 of 32 random bytes); only a development setup where no real camera is read may instead set MEDIA_CREDENTIALS_KEY_DEVELOPMENT=true',
  })
  @Matches(/^[A-Za-z0-9+/]{43}=$/, { message: 'MEDIA_CREDENTIALS_KEY must be base64 of 32 bytes' })
  MEDIA_CREDENTIALS_KEY?: string;

  /** Development only: seal with the public development key instead of refusing to start. */
  @EnvFlag()
  @IsBoolean()
  MEDIA_CREDENTIALS_KEY_DEVELOPMENT: boolean = false;
}
