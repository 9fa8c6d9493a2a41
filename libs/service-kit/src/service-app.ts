import type { DynamicModule, INestApplication, Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Transport, type MicroserviceOptions } from '@nestjs/microservices';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import type { Options as ProtoLoaderOptions } from '@grpc/proto-loader';
import {
  EventErrorPassthroughFilter,
  eventConsumerStrategy,
  type EventConsumerOptions,
} from '@safecity/messaging';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { Logger } from 'nestjs-pino';
import { createValidationPipe } from './validation';

export interface GrpcServerSpec {
  /** `host:port` to bind, e.g. `127.0.0.1:50051`. */
  url: string;
  package: string;
  protoPath: string;
  loader: ProtoLoaderOptions;
}

export interface ServiceAppOptions {
  serviceName: string;
  module: DynamicModule | Type<unknown>;
  http: { port: number; host?: string; bodyLimit?: string };
  grpc?: GrpcServerSpec;
  events?: EventConsumerOptions;
  openApi?: { title: string; description: string };
}

export interface RunningServiceApp {
  serviceName: string;
  app: INestApplication;
  httpUrl: string;
  grpcUrl?: string;
  close(): Promise<void>;
}

/**
 * One service as a hybrid Nest application: REST (with OpenAPI at /docs), its gRPC server and its
 * event consumer, sharing one dependency container. Shutdown hooks let the outbox relay and the
 * consumers finish what is in flight.
 */
export async function startServiceApp(options: ServiceAppOptions): Promise<RunningServiceApp> {
  const app = await NestFactory.create<NestExpressApplication>(options.module, {
    bufferLogs: true,
    bodyParser: false,
  });
  app.useLogger(app.get(Logger));
  const limit = options.http.bodyLimit ?? '1mb';
  app.useBodyParser('json', { limit });
  app.useBodyParser('urlencoded', { limit, extended: false });
  app.useGlobalPipes(createValidationPipe());
  app.enableShutdownHooks();

  if (options.openApi) {
    const config = new DocumentBuilder()
      .setTitle(options.openApi.title)
      .setDescription(options.openApi.description)
      .setVersion('v1')
      .addBearerAuth()
      .build();
    SwaggerModule.setup('docs', app, () => SwaggerModule.createDocument(app, config));
  }

  if (options.grpc) {
    app.connectMicroservice<MicroserviceOptions>({
      transport: Transport.GRPC,
      options: {
        url: options.grpc.url,
        package: options.grpc.package,
        protoPath: options.grpc.protoPath,
        loader: options.grpc.loader,
      },
    });
  }
  if (options.events) {
    const consumer = app.connectMicroservice<MicroserviceOptions>(eventConsumerStrategy(options.events));
    consumer.useGlobalFilters(new EventErrorPassthroughFilter());
  }
  await app.startAllMicroservices();
  await app.listen(options.http.port, options.http.host ?? '127.0.0.1');
  const address = app.getHttpServer().address() as { port: number };
  return {
    serviceName: options.serviceName,
    app,
    httpUrl: `http://${options.http.host ?? '127.0.0.1'}:${address.port}`,
    grpcUrl: options.grpc?.url,
    close: () => app.close(),
  };
}
