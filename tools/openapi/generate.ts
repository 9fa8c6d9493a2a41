/**
 * Writes each service's response schemas, `services/<name>/src/openapi-responses.json`, from the
 * TypeScript types its REST handlers return: what the code returns is what the OpenAPI document
 * says, and `npm run openapi:check` fails when the two drift apart (CI runs it).
 *
 * Request bodies and query parameters are described at runtime from the DTOs' validation rules
 * (`libs/service-kit/src/openapi`); explicit `@ApiResponse` decorators win over what is written
 * here (streams, files, answers a handler writes itself).
 *
 *   npm run openapi:generate            # rewrite the files
 *   npm run openapi:check               # exit 1 when a file is not what the code returns
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { format, resolveConfig } from 'prettier';
import ts from 'typescript';

const ROOT = resolve(__dirname, '../..');
export const SERVICES = ['camera-registry', 'recognition', 'incidents', 'prevention'] as const;
const HTTP_METHODS = new Set(['Get', 'Post', 'Put', 'Patch', 'Delete', 'Sse', 'All', 'Head', 'Options']);

type Schema = Record<string, unknown>;

export interface ResponsesFile {
  /** By operation id (`<Controller>_<method>`, as @nestjs/swagger names operations). */
  operations: Record<string, { schema?: Schema; source: string }>;
  /** Named types the operations refer to (`#/components/schemas/<name>`). */
  schemas: Record<string, Schema>;
}

function createProgram(): ts.Program {
  const configPath = join(ROOT, 'tsconfig.json');
  const config = ts.readConfigFile(configPath, ts.sys.readFile);
  const parsed = ts.parseJsonConfigFileContent(config.config, ts.sys, ROOT);
  const rootNames = parsed.fileNames.filter(
    (f) => /\/services\/[^/]+\/src\//.test(f) && !/\.spec\.ts$/.test(f),
  );
  return ts.createProgram({ rootNames, options: parsed.options });
}

function decoratorName(decorator: ts.Decorator): string | undefined {
  const expression = decorator.expression;
  if (ts.isCallExpression(expression) && ts.isIdentifier(expression.expression))
    return expression.expression.text;
  if (ts.isIdentifier(expression)) return expression.text;
  return undefined;
}

class SchemaWriter {
  readonly schemas: Record<string, Schema> = {};
  private readonly names = new Map<ts.Type, string>();
  private readonly taken = new Map<string, ts.Type>();
  readonly untyped: string[] = [];

  constructor(private readonly checker: ts.TypeChecker) {}

  /** The schema of a value of `type` as JSON.stringify writes it. */
  of(type: ts.Type, where: string): Schema {
    const c = this.checker;
    const f = type.flags;
    if (f & (ts.TypeFlags.Any | ts.TypeFlags.Unknown)) {
      this.untyped.push(where);
      return {};
    }
    if (f & ts.TypeFlags.StringLiteral)
      return { type: 'string', enum: [(type as ts.StringLiteralType).value] };
    if (f & ts.TypeFlags.NumberLiteral)
      return { type: 'number', enum: [(type as ts.NumberLiteralType).value] };
    if (f & ts.TypeFlags.BooleanLiteral) return { type: 'boolean' };
    if (f & (ts.TypeFlags.String | ts.TypeFlags.TemplateLiteral | ts.TypeFlags.StringMapping))
      return { type: 'string' };
    if (f & ts.TypeFlags.Number) return { type: 'number' };
    if (f & ts.TypeFlags.Boolean) return { type: 'boolean' };
    if (f & ts.TypeFlags.BigInt) return { type: 'string' };
    if (f & ts.TypeFlags.Null) return { nullable: true };
    if (type.isUnion()) return this.union(type, where);
    if (type.isIntersection()) return this.object(type, where);
    const symbolName = type.getSymbol()?.getName();
    if (symbolName === 'Date') return { type: 'string', format: 'date-time' };
    if (symbolName === 'Buffer' || symbolName === 'Uint8Array' || symbolName === 'StreamableFile') {
      return { type: 'string', format: 'binary' };
    }
    if (c.isArrayType(type) || c.isTupleType(type)) {
      const args = c.getTypeArguments(type as ts.TypeReference);
      // `[]` of an early return is never[]; the other branches say what the items are.
      if (args.length === 0 || args.every((t) => t.flags & ts.TypeFlags.Never))
        return { type: 'array', items: {} };
      const items = c.isTupleType(type) ? this.union(args, where) : this.of(args[0], `${where}[]`);
      return { type: 'array', items };
    }
    if (symbolName === 'ReadonlyArray' || symbolName === 'Set') {
      const [item] = c.getTypeArguments(type as ts.TypeReference);
      return { type: 'array', items: item ? this.of(item, `${where}[]`) : {} };
    }
    if (f & ts.TypeFlags.Object) return this.named(type, where) ?? this.object(type, where);
    this.untyped.push(where);
    return {};
  }

  private union(type: ts.UnionType | readonly ts.Type[], where: string): Schema {
    const all = Array.isArray(type) ? type : (type as ts.UnionType).types;
    const members = all.filter(
      (t) => !(t.flags & (ts.TypeFlags.Undefined | ts.TypeFlags.Void | ts.TypeFlags.Never)),
    );
    const nullable = members.some((t) => t.flags & ts.TypeFlags.Null);
    const rest = members.filter((t) => !(t.flags & ts.TypeFlags.Null));
    let schema: Schema;
    if (rest.length > 0 && rest.every((t) => t.flags & ts.TypeFlags.BooleanLiteral))
      schema = { type: 'boolean' };
    else if (rest.length > 0 && rest.every((t) => t.flags & ts.TypeFlags.StringLiteral)) {
      schema = { type: 'string', enum: rest.map((t) => (t as ts.StringLiteralType).value) };
    } else if (rest.length > 0 && rest.every((t) => t.flags & ts.TypeFlags.NumberLiteral)) {
      schema = { type: 'number', enum: rest.map((t) => (t as ts.NumberLiteralType).value) };
    } else {
      // `boolean` arrives as true | false among other members.
      const parts: Schema[] = [];
      let sawBoolean = false;
      for (const t of rest) {
        if (t.flags & ts.TypeFlags.BooleanLiteral) {
          if (!sawBoolean) parts.push({ type: 'boolean' });
          sawBoolean = true;
        } else parts.push(this.of(t, where));
      }
      const unique = [...new Map(parts.map((p) => [JSON.stringify(p), p])).values()];
      schema = unique.length === 1 ? unique[0] : unique.length === 0 ? {} : { oneOf: unique };
    }
    if (nullable) {
      if (schema['$ref']) return { allOf: [schema], nullable: true };
      return { ...schema, nullable: true };
    }
    return schema;
  }

  /** A `$ref` for a named, non-generic interface, class or alias; undefined for anything else. */
  private named(type: ts.Type, where: string): Schema | undefined {
    const symbol = type.aliasSymbol ?? type.getSymbol();
    const name = symbol?.getName();
    if (!name || name.startsWith('__') || !/^[A-Z]/.test(name)) return undefined;
    if ((type.aliasTypeArguments?.length ?? 0) > 0) return undefined;
    if ((type as ts.TypeReference).typeArguments?.length) return undefined;
    if (this.checker.getSignaturesOfType(type, ts.SignatureKind.Call).length > 0) return undefined;
    let refName = this.names.get(type);
    if (!refName) {
      refName = name;
      for (let n = 2; this.taken.has(refName) && this.taken.get(refName) !== type; n++)
        refName = `${name}${n}`;
      this.names.set(type, refName);
      this.taken.set(refName, type);
      this.schemas[refName] = {};
      this.schemas[refName] = this.object(type, `${where} (${name})`);
    }
    return { $ref: `#/components/schemas/${refName}` };
  }

  private object(type: ts.Type, where: string): Schema {
    const c = this.checker;
    const toJSON = type.getProperty('toJSON');
    if (toJSON) {
      const signature = c.getTypeOfSymbol(toJSON).getCallSignatures()[0];
      if (signature) return this.of(c.getReturnTypeOfSignature(signature), `${where}.toJSON()`);
    }
    const properties: Record<string, Schema> = {};
    const required: string[] = [];
    for (const property of c.getPropertiesOfType(type)) {
      const name = property.getName();
      if (name.startsWith('__')) continue;
      const declaration = property.valueDeclaration ?? property.declarations?.[0];
      const propertyType = declaration
        ? c.getTypeOfSymbolAtLocation(property, declaration)
        : c.getTypeOfSymbol(property);
      if (propertyType.getCallSignatures().length > 0) continue;
      const optional =
        (property.flags & ts.SymbolFlags.Optional) !== 0 ||
        (propertyType.isUnion() && propertyType.types.some((t) => t.flags & ts.TypeFlags.Undefined));
      properties[name] = this.of(propertyType, `${where}.${name}`);
      if (!optional) required.push(name);
    }
    const schema: Schema = { type: 'object', properties };
    if (required.length > 0) schema['required'] = required;
    const index = c.getIndexInfosOfType(type)[0];
    if (index) schema['additionalProperties'] = this.of(index.type, `${where}[key]`);
    return schema;
  }
}

function responsesOf(program: ts.Program, service: string): { file: ResponsesFile; untyped: string[] } {
  const checker = program.getTypeChecker();
  const writer = new SchemaWriter(checker);
  const operations: ResponsesFile['operations'] = {};
  const srcDir = join(ROOT, 'services', service, 'src');
  const files = program
    .getSourceFiles()
    .filter((sf) => sf.fileName.startsWith(srcDir + '/') && !sf.fileName.endsWith('.spec.ts'))
    .sort((a, b) => a.fileName.localeCompare(b.fileName));
  for (const sf of files) {
    ts.forEachChild(sf, function visit(node) {
      if (!ts.isClassDeclaration(node) || !node.name) return;
      const isController = (ts.getDecorators(node) ?? []).some((d) => decoratorName(d) === 'Controller');
      if (!isController) return;
      for (const member of node.members) {
        if (!ts.isMethodDeclaration(member) || !ts.isIdentifier(member.name)) continue;
        const isRoute = (ts.getDecorators(member) ?? []).some((d) =>
          HTTP_METHODS.has(decoratorName(d) ?? ''),
        );
        if (!isRoute) continue;
        const operationId = `${node.name.text}_${member.name.text}`;
        const source = `${relative(ROOT, sf.fileName)}:${sf.getLineAndCharacterOfPosition(member.getStart()).line + 1}`;
        const signature = checker.getSignatureFromDeclaration(member);
        const returned = signature ? checker.getReturnTypeOfSignature(signature) : undefined;
        const awaited = returned ? (checker.getAwaitedType(returned) ?? returned) : undefined;
        if (!awaited || awaited.flags & (ts.TypeFlags.Void | ts.TypeFlags.Undefined)) {
          operations[operationId] = { source };
          continue;
        }
        operations[operationId] = { schema: writer.of(awaited, operationId), source };
      }
    });
  }
  const schemas = Object.fromEntries(Object.entries(writer.schemas).sort(([a], [b]) => a.localeCompare(b)));
  return { file: { operations, schemas }, untyped: writer.untyped };
}

export function responsesFilePath(service: string): string {
  return join(ROOT, 'services', service, 'src', 'openapi-responses.json');
}

async function main(argv: string[]): Promise<number> {
  const check = argv.includes('--check');
  const program = createProgram();
  let stale = 0;
  for (const service of SERVICES) {
    const { file, untyped } = responsesOf(program, service);
    // Free-form parts (an audit record's details) are expected; a whole answer without a type is not,
    // and the OpenAPI test fails on it.
    if (!check) for (const where of untyped) process.stderr.write(`${service}: no type for ${where}\n`);
    const path = responsesFilePath(service);
    const text = await format(JSON.stringify(file), { ...(await resolveConfig(path)), filepath: path });
    if (check) {
      let current = '';
      try {
        current = readFileSync(path, 'utf8');
      } catch {
        current = '';
      }
      if (current !== text) {
        process.stderr.write(
          `${relative(ROOT, path)} is not what the handlers return: run npm run openapi:generate\n`,
        );
        stale += 1;
      }
    } else {
      writeFileSync(path, text);
      process.stdout.write(`${relative(ROOT, path)}: ${Object.keys(file.operations).length} operations\n`);
    }
  }
  return stale > 0 ? 1 : 0;
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => (process.exitCode = code),
    (error: unknown) => {
      process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
      process.exitCode = 1;
    },
  );
}
