import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freeLoopbackPort } from '@safecity/persistence';
import { describeDto, isDtoClass, loadConfig, restRoutesOf, type RestRoute } from '@safecity/service-kit';
import { createTestDatabase } from '@safecity/testing';
import request from 'supertest';
import { AllInOneConfig } from '../src/config';
import { startPlatform, type RunningPlatform } from '../src/platform';

type Schema = {
  $ref?: string;
  type?: string;
  properties?: Record<string, Schema>;
  required?: string[];
  items?: Schema;
  enum?: unknown[];
  oneOf?: Schema[];
  allOf?: Schema[];
  anyOf?: Schema[];
  additionalProperties?: unknown;
  format?: string;
};
interface Operation {
  parameters?: { name: string; in: string }[];
  requestBody?: { content?: Record<string, { schema?: Schema }> };
  responses?: Record<string, { content?: Record<string, { schema?: Schema }> }>;
}
interface Document {
  paths: Record<string, Record<string, Operation>>;
  components?: { schemas?: Record<string, Schema> };
}

function resolve(document: Document, schema: Schema | undefined): Schema | undefined {
  let current = schema;
  for (let i = 0; current?.$ref && i < 10; i++) {
    current = document.components?.schemas?.[current.$ref.replace('#/components/schemas/', '')];
  }
  return current;
}

/** Whether a schema says something about the value: not `{}` nor a bare `{ type: 'object' }`. */
function describesSomething(document: Document, schema: Schema | undefined): boolean {
  const s = resolve(document, schema);
  if (!s) return false;
  if (s.oneOf?.length || s.anyOf?.length || s.allOf?.length || s.enum?.length) return true;
  if (s.type === 'array') return describesSomething(document, s.items);
  if (s.type === 'object' || s.type === undefined) {
    return Object.keys(s.properties ?? {}).length > 0 || s.additionalProperties !== undefined;
  }
  return true;
}

/** What a route lacks in the document, as readable lines. */
function problemsOf(document: Document, route: RestRoute): string[] {
  const where = `${route.method.toUpperCase()} ${route.path} (${route.operationId})`;
  const operation = document.paths[route.path]?.[route.method];
  if (!operation) return [`${where}: not in the document`];
  const problems: string[] = [];
  const documented = (name: string, location: string) =>
    (operation.parameters ?? []).some(
      (p) => p.name.toLowerCase() === name.toLowerCase() && p.in === location,
    );
  for (const name of route.pathParameters) {
    if (!documented(name, 'path')) problems.push(`${where}: path parameter ${name} undocumented`);
  }
  for (const parameter of route.parameters) {
    if (parameter.kind === 'query') {
      const names = parameter.name
        ? [parameter.name]
        : isDtoClass(parameter.type)
          ? Object.keys(describeDto(parameter.type))
          : [];
      for (const name of names) {
        if (!documented(name, 'query')) problems.push(`${where}: query parameter ${name} undocumented`);
      }
    }
    if (parameter.kind === 'headers' && parameter.name && !documented(parameter.name, 'header')) {
      problems.push(`${where}: header ${parameter.name} undocumented`);
    }
  }
  const body = route.parameters.find((p) => p.kind === 'body');
  if (['post', 'put', 'patch'].includes(route.method) && !route.takesNoBody) {
    const contents = Object.entries(operation.requestBody?.content ?? {});
    if (contents.length === 0 || !contents.every(([, media]) => describesSomething(document, media.schema))) {
      problems.push(`${where}: no request body schema`);
    } else if (body && isDtoClass(body.type)) {
      // True to the DTO: every validated field, required exactly when the DTO requires it.
      const schema = resolve(document, contents[0][1].schema);
      for (const [name, doc] of Object.entries(describeDto(body.type))) {
        if (!schema?.properties?.[name]) problems.push(`${where}: body field ${name} undocumented`);
        const required = (schema?.required ?? []).includes(name);
        if (required !== doc['required']) {
          problems.push(
            `${where}: body field ${name} ${doc['required'] ? 'is' : 'is not'} required by the DTO`,
          );
        }
      }
    }
  }
  const success = Object.entries(operation.responses ?? {}).filter(([status]) => /^2\d\d$/.test(status));
  if (success.length === 0) problems.push(`${where}: no success response`);
  for (const [status, response] of success) {
    if (status === '204') continue;
    const contents = Object.values(response.content ?? {});
    if (contents.length === 0 || !contents.every((media) => describesSomething(document, media.schema))) {
      problems.push(`${where}: no schema for its ${status} answer`);
    }
  }
  return problems;
}

describe('OpenAPI documents of every service', () => {
  let db: { url: string; drop(): Promise<void> };
  let platform: RunningPlatform;

  beforeAll(async () => {
    db = await createTestDatabase('openapi');
    platform = await startPlatform(
      loadConfig(AllInOneConfig, {
        DATA_DIR: mkdtempSync(join(tmpdir(), 'safecity-openapi-')),
        DATABASE_URL: db.url,
        CAMERA_REGISTRY_HTTP_PORT: '0',
        RECOGNITION_HTTP_PORT: '0',
        INCIDENTS_HTTP_PORT: '0',
        PREVENTION_HTTP_PORT: '0',
        CAMERA_REGISTRY_GRPC_PORT: String(await freeLoopbackPort()),
        RECOGNITION_GRPC_PORT: String(await freeLoopbackPort()),
        INCIDENTS_GRPC_PORT: String(await freeLoopbackPort()),
        PREVENTION_GRPC_PORT: String(await freeLoopbackPort()),
      }),
    );
  }, 120_000);

  afterAll(async () => {
    await platform?.stop();
    await db?.drop();
  }, 60_000);

  it.each(['camera-registry', 'recognition', 'incidents', 'prevention'])(
    '%s: every route has its parameters, its request schema and a schema for each success answer',
    async (name) => {
      const service = platform.services.find((s) => s.serviceName === name)!;
      const document = (await request(service.httpUrl).get('/docs-json').expect(200)).body as Document;
      const routes = restRoutesOf(service.app);
      expect(routes.length).toBeGreaterThan(10);
      expect(routes.flatMap((route) => problemsOf(document, route))).toEqual([]);
    },
  );

  it('describes the answers a handler chooses itself and the X-Purpose header where it is read', async () => {
    const documentOf = async (name: string) =>
      (
        await request(platform.services.find((s) => s.serviceName === name)!.httpUrl)
          .get('/docs-json')
          .expect(200)
      ).body as Document;
    const incidents = await documentOf('incidents');
    const transition = incidents.paths['/incidents/{id}/transitions'].post;
    // A face match's first verification: 202 with the same { incident, verification } answer.
    expect(Object.keys(transition.responses ?? {})).toEqual(expect.arrayContaining(['200', '202']));
    const accepted = resolve(incidents, transition.responses!['202'].content?.['application/json'].schema);
    expect(Object.keys(accepted?.properties ?? {})).toEqual(['incident', 'verification']);
    const report = incidents.paths['/citizen-reports'].post;
    expect(Object.keys(report.responses ?? {})).toEqual(expect.arrayContaining(['200', '201', '429']));
    const purposeRead = (document: Document, path: string) =>
      (document.paths[path].get.parameters ?? []).some((p) => p.in === 'header' && p.name === 'X-Purpose');
    expect(purposeRead(incidents, '/incidents/{id}')).toBe(true);
    expect(purposeRead(await documentOf('prevention'), '/cases/{id}')).toBe(true);
    expect(purposeRead(await documentOf('recognition'), '/matches')).toBe(true);
    const stream = incidents.paths['/incidents/stream'].get as Operation & {
      responses: Record<string, object>;
    };
    expect(Object.keys(stream.responses)).toEqual(expect.arrayContaining(['200', '429']));
  });
});
