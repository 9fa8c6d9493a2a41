import { EnvFlag, ServiceConfig } from '@safecity/service-kit';
import { IsBoolean, IsDefined, IsInt, IsString, IsUrl, Matches, Max, Min, ValidateIf } from 'class-validator';

/** Environment of a standalone video-analytics process. */
export class VideoAnalyticsConfig extends ServiceConfig {
  @IsInt()
  @Min(0)
  @Max(65535)
  HTTP_PORT: number = 3006;

  /** recognition's REST base URL, where detections are delivered. */
  @IsUrl({ require_tld: false, protocols: ['http', 'https'] })
  RECOGNITION_URL: string = 'http://127.0.0.1:3002';

  /** Opens cameras' media credentials; the same key as camera-registry's. */
  @ValidateIf(
    (c: VideoAnalyticsConfig) =>
      !c.MEDIA_CREDENTIALS_KEY_DEVELOPMENT || c.MEDIA_CREDENTIALS_KEY !== undefined,
  )
  @IsDefined({
    message:
      'MEDIA_CREDENTIALS_KEY is required (the base64 key camera-registry seals camera credentials with); only a development setup may instead set MEDIA_CREDENTIALS_KEY_DEVELOPMENT=true',
  })
  @Matches(/^[A-Za-z0-9+/]{43}=$/, { message: 'MEDIA_CREDENTIALS_KEY must be base64 of 32 bytes' })
  MEDIA_CREDENTIALS_KEY?: string;

  @EnvFlag()
  @IsBoolean()
  MEDIA_CREDENTIALS_KEY_DEVELOPMENT: boolean = false;

  /** A killed instance's cameras move to the others after this long. */
  @IsInt()
  @Min(6_000)
  @Max(300_000)
  KAFKA_SESSION_TIMEOUT_MS: number = 6_000;

  /** The ffmpeg executable (Debian package `ffmpeg`). */
  @IsString()
  FFMPEG_PATH: string = 'ffmpeg';
}
