// Checks HTTP exchanges against Pinterest's own OpenAPI description (openapi-v5.yaml, OpenAPI 3.0.3):
// query and path parameters, request bodies and response bodies, with ajv on schemas taken from the spec.
// OpenAPI 3.0 is not JSON Schema, so schemas are translated first: `nullable` becomes a null alternative,
// a `discriminator` with a `mapping` but no `oneOf` becomes if/then per mapped value, and every
// `#/components/...` reference points into one document registered with ajv, and a oneOf of overlapping
// enums is read as anyOf (see toJsonSchema).
import fs from 'node:fs';
import path from 'node:path';
import Ajv, { type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import YAML from 'yaml';
import type { TrafficRecord } from '../../src/emulator';

const repoRoot = path.resolve(__dirname, '../..');
export const pinterestSpecPath = path.resolve(repoRoot, '../shared/pinterest/openapi-v5.yaml');

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

const SPEC_ID = 'pinterest-v5';
const isObject = (value: Json | undefined): value is JsonObject => typeof value === 'object' && value !== null && !Array.isArray(value);
const mapValues = (value: Json, fn: (v: Json) => Json): Json =>
  isObject(value) ? Object.fromEntries(Object.entries(value).map(([k, v]) => [k, fn(v)])) : value;

/** One OpenAPI 3.0 schema as draft-07 JSON Schema. */
export function toJsonSchema(node: Json): Json {
  if (Array.isArray(node)) return node.map(toJsonSchema);
  if (!isObject(node)) return node;
  const out: JsonObject = {};
  for (const [key, value] of Object.entries(node)) {
    if (key === 'properties' || key === 'patternProperties') out[key] = mapValues(value, toJsonSchema);
    else if (key === '$ref' && typeof value === 'string') out[key] = value.startsWith('#/') ? `${SPEC_ID}${value}` : value;
    else if (key === 'nullable' || key === 'discriminator' || key === 'example' || key === 'examples' || key.startsWith('x-')) continue;
    else if (key === 'enum' || key === 'default' || key === 'const' || key === 'required') out[key] = value;
    else out[key] = toJsonSchema(value);
  }
  // The spec's Pin metric list is a oneOf of two overlapping enums (standard and video metrics share
  // IMPRESSION, SAVE, …): it means "a value of either list", which in JSON Schema is anyOf.
  if (
    Array.isArray(out.oneOf) &&
    out.oneOf.every((branch) => isObject(branch) && Array.isArray(branch.enum) && branch.$ref === undefined)
  ) {
    out.anyOf = out.oneOf;
    delete out.oneOf;
  }
  const discriminator = node.discriminator;
  if (
    isObject(discriminator) &&
    !node.oneOf &&
    !node.anyOf &&
    isObject(discriminator.mapping) &&
    typeof discriminator.propertyName === 'string'
  ) {
    const property = discriminator.propertyName;
    const branches = Object.entries(discriminator.mapping).map(([value, ref]) => ({
      if: { properties: { [property]: { const: value } }, required: [property] },
      then: { $ref: `${SPEC_ID}${String(ref)}` },
    }));
    out.allOf = [...(Array.isArray(out.allOf) ? out.allOf : []), ...branches];
  }
  return node.nullable === true ? { anyOf: [{ type: 'null' }, out] } : out;
}

/** What a checked exchange is made of; `path` is the spec's template (without the `/v5` server prefix). */
export interface Exchange {
  method: string;
  path: string;
  pathParams: Record<string, string>;
  query: Record<string, string | string[]>;
  requestContentType?: string;
  requestBody?: unknown;
  status: number;
  responseBody?: unknown;
}

export interface PinterestContract {
  /**
   * Every way the exchange departs from the spec; empty when it conforms. `request: false` checks only
   * the answer (for requests a test made invalid on purpose).
   */
  check(exchange: Exchange, parts?: { request?: boolean }): string[];
  /** Validates a value against `#/components/schemas/<name>`. */
  checkSchema(name: string, value: unknown): string[];
  /** `METHOD /path` keys of the operations the spec declares. */
  hasOperation(method: string, path: string): boolean;
}

/** Reads the spec once. A missing spec is a failure, never a silent pass. */
export function loadPinterestContract(specPath: string = pinterestSpecPath): PinterestContract {
  if (!fs.existsSync(specPath)) {
    throw new Error(
      `Pinterest's OpenAPI description is missing: expected ${specPath} (the repo's ../shared/pinterest/openapi-v5.yaml). ` +
        'The contract test cannot check anything without it.',
    );
  }
  const spec = YAML.parse(fs.readFileSync(specPath, 'utf8')) as JsonObject;
  const components = spec.components;
  const paths = spec.paths;
  if (!isObject(components) || !isObject(components.schemas) || !isObject(paths))
    throw new Error(`${specPath} has no components.schemas or paths`);
  const parameters = isObject(components.parameters) ? components.parameters : {};

  const ajv = new Ajv({ strict: false, allErrors: true, logger: false });
  addFormats(ajv);
  ajv.addSchema({ $id: SPEC_ID, components: { schemas: mapValues(components.schemas, toJsonSchema) } });
  const compiled = new Map<string, ValidateFunction>();
  const validator = (key: string, schema: Json): ValidateFunction => {
    let validate = compiled.get(key);
    if (!validate) {
      validate = ajv.compile(toJsonSchema(schema) as object);
      compiled.set(key, validate);
    }
    return validate;
  };
  const problems = (validate: ValidateFunction, value: unknown, label: string): string[] =>
    validate(value)
      ? []
      : (validate.errors ?? []).map((e) => `${label}${e.instancePath} ${e.message ?? ''}${e.params ? ` ${JSON.stringify(e.params)}` : ''}`);

  const deref = (node: Json): JsonObject => {
    if (isObject(node) && typeof node.$ref === 'string' && node.$ref.startsWith('#/components/parameters/')) {
      const target = parameters[node.$ref.slice('#/components/parameters/'.length)];
      if (!isObject(target)) throw new Error(`unresolved ${node.$ref}`);
      return target;
    }
    if (!isObject(node)) throw new Error('a parameter is not an object');
    return node;
  };

  function checkParameters(key: string, pathItem: JsonObject, operation: JsonObject, exchange: Exchange): string[] {
    const declared = [
      ...(Array.isArray(pathItem.parameters) ? pathItem.parameters : []),
      ...(Array.isArray(operation.parameters) ? operation.parameters : []),
    ].map(deref);
    const found: string[] = [];
    const known = new Set<string>();
    for (const parameter of declared) {
      const name = String(parameter.name);
      const where = parameter.in === 'path' ? exchange.pathParams : parameter.in === 'query' ? exchange.query : undefined;
      if (!where) continue;
      known.add(`${String(parameter.in)}:${name}`);
      const raw = where[name];
      if (raw === undefined) {
        if (parameter.required === true) found.push(`${parameter.in} parameter ${name} is required`);
        continue;
      }
      const schema = isObject(parameter.schema) ? parameter.schema : {};
      const value = coerce(schema, raw, parameter.explode !== false);
      found.push(...problems(validator(`${key} ${String(parameter.in)}:${name}`, schema), value, `${parameter.in} parameter ${name}`));
    }
    for (const name of Object.keys(exchange.query)) if (!known.has(`query:${name}`)) found.push(`query parameter ${name} is not declared`);
    return found;
  }

  function checkRequestBody(key: string, operation: JsonObject, exchange: Exchange): string[] {
    const requestBody = operation.requestBody;
    const sent = exchange.requestBody !== undefined && exchange.requestBody !== null;
    if (!isObject(requestBody)) return sent ? ['a request body was sent, but the operation declares none'] : [];
    if (!sent) return requestBody.required === true ? ['the request body is required'] : [];
    const contentType = (exchange.requestContentType ?? '').split(';')[0]?.trim() ?? '';
    const media = isObject(requestBody.content) ? requestBody.content[contentType] : undefined;
    if (!isObject(media) || media.schema === undefined) return [`request content type ${contentType || '(none)'} is not declared`];
    return problems(validator(`${key} request ${contentType}`, media.schema), exchange.requestBody, 'request body');
  }

  function checkResponse(key: string, operation: JsonObject, exchange: Exchange): string[] {
    const responses = isObject(operation.responses) ? operation.responses : {};
    const response = responses[String(exchange.status)] ?? responses.default;
    if (!isObject(response)) return [`status ${exchange.status} is not declared`];
    const media = isObject(response.content) ? response.content['application/json'] : undefined;
    if (!isObject(media) || media.schema === undefined) {
      return exchange.responseBody === undefined ? [] : [`status ${exchange.status} declares no body, but one was sent`];
    }
    return problems(
      validator(`${key} response ${exchange.status in responses ? exchange.status : 'default'}`, media.schema),
      exchange.responseBody,
      `response ${exchange.status} body`,
    );
  }

  return {
    check(exchange, parts = {}) {
      const key = `${exchange.method.toUpperCase()} ${exchange.path}`;
      const pathItem = paths[exchange.path];
      const operation = isObject(pathItem) ? pathItem[exchange.method.toLowerCase()] : undefined;
      if (!isObject(pathItem) || !isObject(operation)) return [`${key} is not an operation of the spec`];
      const request =
        parts.request === false
          ? []
          : [...checkParameters(key, pathItem, operation, exchange), ...checkRequestBody(key, operation, exchange)];
      return [...request, ...checkResponse(key, operation, exchange)].map((problem) => `${key} → ${exchange.status}: ${problem}`);
    },
    checkSchema(name, value) {
      return problems(validator(`schema ${name}`, { $ref: `#/components/schemas/${name}` }), value, name);
    },
    hasOperation(method, route) {
      const pathItem = paths[route];
      return isObject(pathItem) && isObject(pathItem[method.toLowerCase()]);
    },
  };
}

/** A query or path value as the schema types it (query strings are all text). */
function coerce(schema: JsonObject, raw: string | string[], explode: boolean): unknown {
  if (schema.type === 'array') {
    const parts = Array.isArray(raw) ? raw : explode ? [raw] : raw.split(',');
    const items = isObject(schema.items) ? schema.items : {};
    return parts.map((part) => coerce(items, part, true));
  }
  const value = Array.isArray(raw) ? (raw[0] ?? '') : raw;
  if (schema.type === 'integer' || schema.type === 'number')
    return value.trim() !== '' && !Number.isNaN(Number(value)) ? Number(value) : value;
  if (schema.type === 'boolean') return value === 'true' ? true : value === 'false' ? false : value;
  return value;
}

/** An emulator traffic record as an exchange of the spec (route `/v5/pins/:pin_id` → `/pins/{pin_id}`). */
export function exchangeFromTraffic(record: TrafficRecord): Exchange {
  const route = record.route ?? record.url.split('?')[0] ?? '';
  const template = route.replace(/^\/v5/, '').replace(/:(\w+)/g, '{$1}');
  const url = new URL(record.url, 'http://emulator');
  const names = [...route.matchAll(/:(\w+)/g)].map((m) => m[1] ?? '');
  const pattern = new RegExp(`^${route.replace(/:(\w+)/g, '([^/]+)')}$`);
  const values = pattern.exec(url.pathname)?.slice(1) ?? [];
  const query: Record<string, string | string[]> = {};
  for (const [name, value] of url.searchParams) {
    const seen = query[name];
    query[name] = seen === undefined ? value : [...(Array.isArray(seen) ? seen : [seen]), value];
  }
  return {
    method: record.method,
    path: template,
    pathParams: Object.fromEntries(names.map((name, i) => [name, decodeURIComponent(values[i] ?? '')])),
    query,
    requestContentType: record.requestContentType,
    requestBody: record.requestBody,
    status: record.status,
    responseBody: record.responseBody,
  };
}
