import 'reflect-metadata';
import { plainToInstance, Transform } from 'class-transformer';
import { validateSync, type ValidationError } from 'class-validator';

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid configuration:\n  ${problems.join('\n  ')}`);
    this.name = 'ConfigError';
  }
}

function flatten(errors: ValidationError[], prefix = ''): string[] {
  return errors.flatMap((e) => {
    const path = prefix ? `${prefix}.${e.property}` : e.property;
    const own = Object.values(e.constraints ?? {}).map((reason) => `${path}: ${reason}`);
    return [...own, ...flatten(e.children ?? [], path)];
  });
}

/**
 * Builds a service's config class from environment variables (or explicit values) and validates
 * it, so a service refuses to start with a message naming every wrong variable.
 */
export function loadConfig<T extends object>(
  type: new () => T,
  source: Record<string, string | number | boolean | undefined> = process.env,
): T {
  const defined = Object.fromEntries(Object.entries(source).filter(([, v]) => v !== undefined && v !== ''));
  const config = plainToInstance(type, defined, {
    enableImplicitConversion: true,
    exposeDefaultValues: true,
  });
  const errors = validateSync(config, { whitelist: false, forbidUnknownValues: true });
  if (errors.length) throw new ConfigError(flatten(errors));
  return config;
}

/**
 * Environment flags arrive as strings, and `Boolean('false')` is true; only `true`/`1`/`yes` count.
 */
export function EnvFlag(): PropertyDecorator {
  // Read the raw value: implicit conversion has already turned 'false' into true by now.
  return Transform(({ obj, key }) => {
    const raw: unknown = (obj as Record<string, unknown>)[key];
    return typeof raw === 'boolean' ? raw : ['true', '1', 'yes'].includes(String(raw).trim().toLowerCase());
  });
}
