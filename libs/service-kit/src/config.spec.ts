import { IsBoolean, IsInt, IsOptional, IsString, Max, Min } from 'class-validator';
import { ConfigError, EnvFlag, loadConfig } from './config';

class ExampleConfig {
  @IsString()
  DATABASE_URL!: string;

  @IsInt()
  @Min(0)
  @Max(65535)
  HTTP_PORT: number = 3001;

  @EnvFlag()
  @IsBoolean()
  RUN_MIGRATIONS: boolean = false;

  @IsOptional()
  @IsString()
  LOG_LEVEL?: string;
}

describe('loadConfig', () => {
  it('converts environment strings to the declared types and keeps defaults', () => {
    const config = loadConfig(ExampleConfig, { DATABASE_URL: 'postgres://x', HTTP_PORT: '4000' });
    expect(config).toMatchObject({ DATABASE_URL: 'postgres://x', HTTP_PORT: 4000, RUN_MIGRATIONS: false });
  });

  it.each([
    ['true', true],
    ['1', true],
    ['false', false],
    ['0', false],
    ['no', false],
  ])('reads the flag %p as %p', (value, expected) => {
    expect(loadConfig(ExampleConfig, { DATABASE_URL: 'x', RUN_MIGRATIONS: value }).RUN_MIGRATIONS).toBe(
      expected,
    );
  });

  it('names every wrong variable', () => {
    try {
      loadConfig(ExampleConfig, { HTTP_PORT: '70000' });
      throw new Error('expected a ConfigError');
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      const problems = (error as ConfigError).problems.join('\n');
      expect(problems).toContain('DATABASE_URL');
      expect(problems).toContain('HTTP_PORT');
    }
  });
});
