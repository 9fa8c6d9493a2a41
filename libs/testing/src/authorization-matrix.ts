import { request as httpRequest } from 'node:http';
import type { INestApplicationContext } from '@nestjs/common';
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';
import type { GrpcServiceContract } from '@safecity/contracts';
import {
  admitsRole,
  DEFAULT_PUBLIC_PATHS,
  discoverHandlers,
  discoverUseCases,
  PLATFORM_ROLES,
  type DiscoveredHandler,
  type OperationPolicy,
  type Role,
} from '@safecity/security';
import type { TestIdentity } from './identity';

/** A running service as the matrix reaches it. */
export interface AuthorizationTarget {
  app: INestApplicationContext;
  httpUrl: string;
  grpcUrl?: string;
  /** The gRPC service the application serves, from `@safecity/contracts`. */
  grpc?: GrpcServiceContract;
  identity: TestIdentity;
  /** Paths served without a policy (probes, metrics). Default the security library's. */
  publicPaths?: readonly string[];
}

/** Who calls in one cell of the matrix. */
export interface MatrixCaller {
  label: string;
  role: Role | null;
  regions: 'all' | string[];
}

/** A cell whose answer is not what the policy says. */
export interface Mismatch {
  operation: string;
  transport: 'http' | 'grpc';
  handler: string;
  caller: string;
  expected: 'allowed' | 'refused';
  got: string;
}

// Any id: handlers are reached with it, and an allowed caller then meets a 404, 400 or 422.
const PLACEHOLDER_ID = '00000000-0000-4000-8000-000000000000';
const CALL_TIMEOUT_MS = 10_000;
const PARALLEL = 8;

/**
 * The callers of the matrix: each role alone with every region, each role alone with one region
 * (so operations on national data show their refusal), and nobody.
 */
export function matrixCallers(): MatrixCaller[] {
  return [
    ...PLATFORM_ROLES.map((role) => ({ label: `${role}@all`, role, regions: 'all' as const })),
    ...PLATFORM_ROLES.map((role) => ({ label: `${role}@ALA`, role, regions: ['ALA'] })),
    { label: 'no token', role: null, regions: 'all' },
  ];
}

/** Whether the policy admits the caller, and what a refusal looks like on each transport. */
export function expectationOf(
  policy: OperationPolicy,
  caller: MatrixCaller,
): { allowed: boolean; refusal: { http: number; grpc: grpc.status } } {
  if (policy.callers === 'anyone') {
    return { allowed: true, refusal: { http: 403, grpc: grpc.status.PERMISSION_DENIED } };
  }
  if (caller.role === null || policy.callers === 'video-systems') {
    // No credential the route accepts: an unauthenticated call.
    return { allowed: false, refusal: { http: 401, grpc: grpc.status.UNAUTHENTICATED } };
  }
  return {
    allowed: admitsRole(policy, caller.role, caller.regions),
    refusal: { http: 403, grpc: grpc.status.PERMISSION_DENIED },
  };
}

/** Handlers that serve no operation: neither a policy nor one of the paths that need none. */
export function handlersWithoutPolicy(target: AuthorizationTarget): string[] {
  const open = new Set(target.publicPaths ?? DEFAULT_PUBLIC_PATHS);
  return discoverHandlers(target.app)
    .filter((h) => !h.policy && !(h.transport === 'http' && open.has(h.path ?? '')))
    .map((h) => `${h.name} (${h.controller}.${h.handler})`);
}

/** The methods the gRPC contract defines, by the proto's own names. */
export function contractMethods(contract: GrpcServiceContract): string[] {
  const definition = protoLoader.loadSync(contract.protoPath, contract.loader);
  const service = definition[`${contract.package}.${contract.service}`] as
    Record<string, unknown> | undefined;
  if (!service)
    throw new Error(`no service ${contract.package}.${contract.service} in ${contract.protoPath}`);
  return Object.keys(service);
}

/** Methods of the contract without a handler, and handlers naming no method of the contract. */
export function contractGaps(target: AuthorizationTarget): string[] {
  if (!target.grpc) return [];
  const methods = contractMethods(target.grpc);
  const served = new Set(
    discoverHandlers(target.app)
      .filter((h) => h.transport === 'grpc' && h.grpcService === target.grpc!.service)
      .map((h) => h.rpc),
  );
  return methods.filter((m) => !served.has(m)).map((m) => `${target.grpc!.service}.${m} has no handler`);
}

/**
 * Operations offered over gRPC whose policy no use case enforces: such an operation would be
 * checked only at the door of each transport, which is how transports came to differ.
 */
export function grpcOperationsWithoutUseCase(target: AuthorizationTarget): string[] {
  const enforced = new Set(discoverUseCases(target.app).map((u) => u.policy));
  return discoverHandlers(target.app)
    .filter((h) => h.transport === 'grpc' && h.policy && !enforced.has(h.policy))
    .map((h) => `${h.name}: no @UseCase(${h.policy!.name})`);
}

async function inBatches<T>(items: T[], work: (item: T) => Promise<void>): Promise<void> {
  for (let i = 0; i < items.length; i += PARALLEL) await Promise.all(items.slice(i, i + PARALLEL).map(work));
}

/** The status of one HTTP call; the body is never awaited (a stream would not end). */
function httpStatus(url: string, handler: DiscoveredHandler, authorization: string | null): Promise<number> {
  const path = (handler.path ?? '/').replace(/:[A-Za-z0-9_]+/g, PLACEHOLDER_ID);
  const withBody =
    handler.httpMethod === 'POST' || handler.httpMethod === 'PUT' || handler.httpMethod === 'PATCH';
  return new Promise((resolve, reject) => {
    let answered = false;
    const req = httpRequest(
      new URL(path, url),
      {
        method: handler.httpMethod,
        headers: {
          ...(authorization ? { authorization } : {}),
          ...(withBody ? { 'content-type': 'application/json' } : {}),
        },
        timeout: CALL_TIMEOUT_MS,
      },
      (res) => {
        answered = true;
        resolve(res.statusCode ?? 0);
        res.destroy();
      },
    );
    req.on('timeout', () => req.destroy(new Error(`${handler.name}: no answer in ${CALL_TIMEOUT_MS} ms`)));
    // Destroying a streaming answer after its status may surface as an error: it was answered.
    req.on('error', (error) => {
      if (!answered) reject(error);
    });
    req.end(withBody ? '{}' : undefined);
  });
}

async function tokenFor(target: AuthorizationTarget, caller: MatrixCaller): Promise<string | null> {
  if (caller.role === null) return null;
  return target.identity.bearer(caller.role, caller.regions, `matrix-${caller.label}`);
}

/**
 * Calls every REST route with every caller of {@link matrixCallers} and compares the answer with
 * the route's policy: allowed callers must not meet 401 or 403, refused ones must meet exactly the
 * refusal. Routes without a policy are reported by {@link handlersWithoutPolicy}, not here.
 */
export async function httpMatrix(
  target: AuthorizationTarget,
): Promise<{ cells: number; mismatches: Mismatch[] }> {
  const routes = discoverHandlers(target.app).filter((h) => h.transport === 'http' && h.policy);
  const callers = matrixCallers();
  const tokens = new Map<string, string | null>();
  for (const caller of callers) tokens.set(caller.label, await tokenFor(target, caller));
  const cells = routes.flatMap((route) => callers.map((caller) => ({ route, caller })));
  const mismatches: Mismatch[] = [];
  await inBatches(cells, async ({ route, caller }) => {
    const expected = expectationOf(route.policy!, caller);
    const status = await httpStatus(target.httpUrl, route, tokens.get(caller.label) ?? null);
    const ok = expected.allowed ? status !== 401 && status !== 403 : status === expected.refusal.http;
    if (!ok) {
      mismatches.push({
        operation: route.policy!.name,
        transport: 'http',
        handler: route.name,
        caller: caller.label,
        expected: expected.allowed ? 'allowed' : 'refused',
        got: String(status),
      });
    }
  });
  return { cells: cells.length, mismatches };
}

type UnaryCall = (
  request: unknown,
  metadata: grpc.Metadata,
  options: grpc.CallOptions,
  callback: (error: grpc.ServiceError | null) => void,
) => void;

/** The same over gRPC, for every method of the contract, with an empty request. */
export async function grpcMatrix(
  target: AuthorizationTarget,
): Promise<{ cells: number; mismatches: Mismatch[] }> {
  if (!target.grpc || !target.grpcUrl) return { cells: 0, mismatches: [] };
  const contract = target.grpc;
  const definition = protoLoader.loadSync(contract.protoPath, contract.loader);
  const Client = grpc.makeClientConstructor(
    definition[`${contract.package}.${contract.service}`] as grpc.ServiceDefinition,
    contract.service,
  );
  const client = new Client(target.grpcUrl, grpc.credentials.createInsecure()) as grpc.Client &
    Record<string, UnaryCall>;
  try {
    const handlers = new Map(
      discoverHandlers(target.app)
        .filter((h) => h.transport === 'grpc' && h.grpcService === contract.service && h.policy)
        .map((h) => [h.rpc!, h]),
    );
    const callers = matrixCallers();
    const tokens = new Map<string, string | null>();
    for (const caller of callers) tokens.set(caller.label, await tokenFor(target, caller));
    const cells = [...handlers.values()].flatMap((handler) => callers.map((caller) => ({ handler, caller })));
    const mismatches: Mismatch[] = [];
    await inBatches(cells, async ({ handler, caller }) => {
      const expected = expectationOf(handler.policy!, caller);
      const metadata = new grpc.Metadata();
      const token = tokens.get(caller.label);
      if (token) metadata.set('authorization', token);
      const code = await new Promise<grpc.status>((resolve) =>
        client[handler.rpc!]!.call(
          client,
          {},
          metadata,
          { deadline: Date.now() + CALL_TIMEOUT_MS },
          (error) => resolve(error ? error.code : grpc.status.OK),
        ),
      );
      const ok = expected.allowed
        ? code !== grpc.status.UNAUTHENTICATED && code !== grpc.status.PERMISSION_DENIED
        : code === expected.refusal.grpc;
      if (!ok) {
        mismatches.push({
          operation: handler.policy!.name,
          transport: 'grpc',
          handler: handler.name,
          caller: caller.label,
          expected: expected.allowed ? 'allowed' : 'refused',
          got: grpc.status[code] ?? String(code),
        });
      }
    });
    return { cells: cells.length, mismatches };
  } finally {
    client.close();
  }
}

/**
 * The authorization suite of one service, generated from its policies and the routes and methods
 * it serves: a handler without a policy, a contract method without a handler, an operation offered
 * over gRPC without a use case, or a caller answered otherwise than its policy says fails it.
 */
export function describeAuthorizationMatrix(
  title: string,
  start: () => Promise<AuthorizationTarget & { close(): Promise<void> }>,
): void {
  describe(title, () => {
    let target: AuthorizationTarget & { close(): Promise<void> };

    beforeAll(async () => {
      target = await start();
    }, 120_000);

    afterAll(() => target?.close(), 60_000);

    it('gives every REST route and gRPC method an operation policy', () => {
      expect(handlersWithoutPolicy(target)).toEqual([]);
    });

    it('serves every method of its gRPC contract', () => {
      expect(contractGaps(target)).toEqual([]);
    });

    it('enforces the policy of every operation offered over gRPC in the use case both transports reach', () => {
      expect(grpcOperationsWithoutUseCase(target)).toEqual([]);
    });

    it('answers every role over REST exactly as each route’s policy says', async () => {
      const { cells, mismatches } = await httpMatrix(target);
      expect(cells).toBeGreaterThan(0);
      expect(mismatches).toEqual([]);
    }, 300_000);

    it('answers every role over gRPC exactly as each method’s policy says', async () => {
      const { cells, mismatches } = await grpcMatrix(target);
      if (target.grpc) expect(cells).toBeGreaterThan(0);
      expect(mismatches).toEqual([]);
    }, 300_000);
  });
}
