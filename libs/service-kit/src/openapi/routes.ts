import { RequestMethod, type INestApplication, type Type } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA, ROUTE_ARGS_METADATA } from '@nestjs/common/constants';
import { RouteParamtypes } from '@nestjs/common/enums/route-paramtypes.enum';
import { ModulesContainer } from '@nestjs/core';

/** Metadata keys of @nestjs/swagger's decorators (its package does not export its constants). */
export const SWAGGER_METADATA = {
  excludeController: 'swagger/apiExcludeController',
  excludeEndpoint: 'swagger/apiExcludeEndpoint',
  parameters: 'swagger/apiParameters',
} as const;

/** Marks a POST/PUT/PATCH route that takes no request body (the document then needs none). */
export const NO_REQUEST_BODY = 'safecity:openapi:no-request-body';

export function NoRequestBody(): MethodDecorator {
  return (_target, _key, descriptor) => {
    Reflect.defineMetadata(NO_REQUEST_BODY, true, descriptor.value as object);
    return descriptor;
  };
}

/** Metadata key of {@link ApiRequestContent}. */
export const REQUEST_CONTENT = 'safecity:openapi:request-content';

/**
 * The request body of a route that reads its own formats (vendor payloads, uploads): a schema per
 * media type, as it goes into the document. Routes with a DTO body need nothing of the kind.
 */
export function ApiRequestContent(
  content: Record<string, { schema: Record<string, unknown>; examples?: Record<string, unknown> }>,
  description?: string,
): MethodDecorator {
  return (_target, _key, descriptor) => {
    Reflect.defineMetadata(REQUEST_CONTENT, { content, description }, descriptor.value as object);
    return descriptor;
  };
}

export interface RouteParameter {
  kind: 'body' | 'query' | 'param' | 'headers' | 'other';
  /** `@Query('regionCode')` → `regionCode`; undefined for the whole body or query. */
  name?: string;
  type: unknown;
}

/** One REST route of the application, as Nest will serve it. */
export interface RestRoute {
  controller: Type<unknown>;
  handlerName: string;
  /** `<Controller>_<method>`: the operation id @nestjs/swagger gives it. */
  operationId: string;
  method: string;
  /** With `{param}` placeholders, as in the OpenAPI document. */
  path: string;
  pathParameters: string[];
  parameters: RouteParameter[];
  takesNoBody: boolean;
  /** From {@link ApiRequestContent}. */
  requestContent?: { content: Record<string, unknown>; description?: string };
}

const KIND: Partial<Record<number, RouteParameter['kind']>> = {
  [RouteParamtypes.BODY]: 'body',
  [RouteParamtypes.QUERY]: 'query',
  [RouteParamtypes.PARAM]: 'param',
  [RouteParamtypes.HEADERS]: 'headers',
};

function joinPath(...parts: string[]): string {
  const joined = parts
    .flatMap((p) => p.split('/'))
    .filter(Boolean)
    .join('/');
  return `/${joined}`;
}

/** Every REST route of the app's controllers that the OpenAPI document describes. */
export function restRoutesOf(app: INestApplication): RestRoute[] {
  const routes: RestRoute[] = [];
  const seen = new Set<unknown>();
  for (const module of app.get(ModulesContainer).values()) {
    for (const wrapper of module.controllers.values()) {
      const controller = wrapper.metatype as Type<unknown> | null;
      if (!controller || seen.has(controller)) continue;
      seen.add(controller);
      if (Reflect.getMetadata(SWAGGER_METADATA.excludeController, controller)?.[0]) continue;
      const prefixes = ([] as string[]).concat(Reflect.getMetadata(PATH_METADATA, controller) ?? '/');
      const prototype = controller.prototype as Record<string, unknown>;
      for (const handlerName of Object.getOwnPropertyNames(prototype)) {
        const handler = Object.getOwnPropertyDescriptor(prototype, handlerName)?.value as object | undefined;
        if (typeof handler !== 'function') continue;
        const requestMethod = Reflect.getMetadata(METHOD_METADATA, handler) as RequestMethod | undefined;
        const subPaths = Reflect.getMetadata(PATH_METADATA, handler) as string | string[] | undefined;
        if (requestMethod === undefined || subPaths === undefined) continue;
        if (Reflect.getMetadata(SWAGGER_METADATA.excludeEndpoint, handler)?.disable) continue;
        const args = (Reflect.getMetadata(ROUTE_ARGS_METADATA, controller, handlerName) ?? {}) as Record<
          string,
          { index: number; data?: unknown }
        >;
        const types = (Reflect.getMetadata('design:paramtypes', prototype, handlerName) ?? []) as unknown[];
        const parameters = Object.entries(args).map(([key, arg]): RouteParameter => {
          const kind = key.includes('__customRouteArgs__')
            ? 'other'
            : (KIND[Number(key.split(':')[0])] ?? 'other');
          return { kind, name: typeof arg.data === 'string' ? arg.data : undefined, type: types[arg.index] };
        });
        for (const prefix of prefixes) {
          for (const sub of ([] as string[]).concat(subPaths)) {
            const path = joinPath(prefix, sub).replace(/:(\w+)/g, '{$1}');
            routes.push({
              controller,
              handlerName,
              operationId: `${controller.name}_${handlerName}`,
              method: RequestMethod[requestMethod].toLowerCase(),
              path,
              pathParameters: [...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]),
              parameters,
              takesNoBody: Reflect.getMetadata(NO_REQUEST_BODY, handler) === true,
              requestContent: Reflect.getMetadata(REQUEST_CONTENT, handler),
            });
          }
        }
      }
    }
  }
  return routes;
}
