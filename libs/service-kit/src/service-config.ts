import { IdentityConfig } from '@safecity/security';
import { IsBoolean, IsIn, IsOptional, IsString, Matches } from 'class-validator';
import { EnvFlag } from './config';

/** Environment every standalone service reads; each service's config class adds its own. */
export class ServiceConfig extends IdentityConfig {
  @Matches(/^postgres(ql)?:\/\//, { message: 'DATABASE_URL must be a postgres:// URL' })
  DATABASE_URL!: string;

  /** Comma-separated Kafka bootstrap servers. */
  @IsString()
  KAFKA_BROKERS!: string;

  @IsString()
  HTTP_HOST: string = '0.0.0.0';

  /** Apply pending migrations at start-up (otherwise run `npm run migrate -- <service>`). */
  @EnvFlag()
  @IsBoolean()
  RUN_MIGRATIONS: boolean = false;

  @IsOptional()
  @IsIn(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
  LOG_LEVEL?: string;
}
