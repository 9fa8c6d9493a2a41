import { DynamicModule, INestApplication, InjectionToken, Module, Provider, Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { DestinationStream } from 'pino';

/** A pino destination that keeps every line, parsed. */
export class CapturedLines implements DestinationStream {
  readonly lines: Array<Record<string, unknown>> = [];

  write(chunk: string): void {
    for (const line of chunk.split('\n')) {
      if (line.trim() !== '') this.lines.push(JSON.parse(line) as Record<string, unknown>);
    }
  }

  withMessage(msg: string): Array<Record<string, unknown>> {
    return this.lines.filter((line) => line['msg'] === msg);
  }
}

export interface AppParts {
  imports?: Array<Type<unknown> | DynamicModule>;
  controllers?: Type<unknown>[];
  providers?: Provider[];
}

/** A real Nest application (express) built from a fresh root module. */
export async function startApp(parts: AppParts): Promise<INestApplication> {
  @Module({
    imports: parts.imports ?? [],
    controllers: parts.controllers ?? [],
    providers: parts.providers ?? [],
  })
  class SpecAppModule {}

  const app = await NestFactory.create(SpecAppModule, { logger: false, abortOnError: false });
  await app.init();
  return app;
}

/** A module providing `value` under `token` to whoever imports it. */
export function valueModule(token: InjectionToken, value: unknown): DynamicModule {
  @Module({})
  class ValueModule {}
  return { module: ValueModule, providers: [{ provide: token, useValue: value }], exports: [token] };
}
