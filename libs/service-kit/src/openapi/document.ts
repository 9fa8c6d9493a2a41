import type { INestApplication, Type } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule, type OpenAPIObject } from '@nestjs/swagger';
import { describeDtosFromValidation, isDtoClass } from './dto-schemas';
import { restRoutesOf, SWAGGER_METADATA } from './routes';

type Schema = Record<string, unknown>;

/** A service's `openapi-responses.json`, written by `npm run openapi:generate`. */
export interface GeneratedResponses {
  operations: Record<string, { schema?: Schema; source?: string }>;
  schemas: Record<string, Schema>;
}

export interface OpenApiOptions {
  title: string;
  description: string;
  /** Response schemas generated from the handlers' return types. */
  responses?: GeneratedResponses;
}

/** DTO classes the routes take (body, query, explicit `@ApiBody`/`@ApiQuery` types). */
function dtoRootsOf(app: INestApplication): Set<Type<unknown>> {
  const roots = new Set<Type<unknown>>();
  for (const route of restRoutesOf(app)) {
    for (const parameter of route.parameters) if (isDtoClass(parameter.type)) roots.add(parameter.type);
    const handler = (route.controller.prototype as Record<string, object>)[route.handlerName];
    const explicit = (Reflect.getMetadata(SWAGGER_METADATA.parameters, handler) ?? []) as {
      type?: unknown;
    }[];
    for (const parameter of explicit) if (isDtoClass(parameter.type)) roots.add(parameter.type);
  }
  return roots;
}

function renameRefs(value: unknown, renames: Map<string, string>): unknown {
  if (renames.size === 0) return value;
  let text = JSON.stringify(value);
  for (const [from, to] of renames) {
    text = text.split(`"#/components/schemas/${from}"`).join(`"#/components/schemas/${to}"`);
  }
  return JSON.parse(text);
}

/**
 * Puts the generated response schemas into the document: on every 2xx answer (but 204) of the
 * operation that has no schema of its own from an explicit `@ApiResponse`. Named types that clash
 * with a DTO's schema name are renamed `<Name>View`.
 */
export function mergeGeneratedResponses(document: OpenAPIObject, generated: GeneratedResponses): void {
  document.components ??= {};
  const schemas = (document.components.schemas ??= {}) as Record<string, unknown>;
  const renames = new Map<string, string>();
  for (const name of Object.keys(generated.schemas)) {
    if (!(name in schemas)) continue;
    let next = `${name}View`;
    for (let n = 2; next in schemas || next in generated.schemas; n++) next = `${name}View${n}`;
    renames.set(name, next);
  }
  for (const [name, schema] of Object.entries(generated.schemas)) {
    schemas[renames.get(name) ?? name] = renameRefs(schema, renames);
  }
  for (const operations of Object.values(document.paths)) {
    for (const operation of Object.values(operations) as {
      operationId?: string;
      responses?: Record<string, { content?: Record<string, { schema?: Schema }>; description?: string }>;
    }[]) {
      const schema = operation.operationId ? generated.operations[operation.operationId]?.schema : undefined;
      if (!schema || Object.keys(schema).length === 0 || !operation.responses) continue;
      for (const [status, response] of Object.entries(operation.responses)) {
        if (!/^2\d\d$/.test(status) || status === '204') continue;
        const content = (response.content ??= { 'application/json': {} });
        for (const media of Object.values(content)) {
          if (!media.schema || Object.keys(media.schema).length === 0) {
            media.schema = renameRefs(schema, renames) as Schema;
          }
        }
      }
    }
  }
}

/**
 * The service's OpenAPI document: request bodies and query parameters from the DTOs' validation
 * rules, responses from the handlers' return types (generated), explicit decorators over both.
 */
export function createOpenApiDocument(app: INestApplication, options: OpenApiOptions): OpenAPIObject {
  describeDtosFromValidation(dtoRootsOf(app));
  const config = new DocumentBuilder()
    .setTitle(options.title)
    .setDescription(options.description)
    .setVersion('v1')
    .addBearerAuth()
    .addApiKey({ type: 'apiKey', in: 'header', name: 'x-api-key' }, 'api-key')
    .build();
  const document = SwaggerModule.createDocument(app, config);
  for (const route of restRoutesOf(app)) {
    const operation = document.paths[route.path]?.[route.method as 'post'];
    if (operation && route.requestContent) {
      operation.requestBody = { required: true, ...route.requestContent } as typeof operation.requestBody;
    }
  }
  if (options.responses) mergeGeneratedResponses(document, options.responses);
  return document;
}
