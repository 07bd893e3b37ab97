/**
 * From raw bytes to a typed TPI body, or a TpiError that says exactly what is wrong. The
 * schemas of @elitewebchat/protocol decide; a bad field's own result code (FIELD_RESULT) is
 * used where the protocol has one. Unknown fields are ignored and named in the answer's message,
 * so a client that sends extras keeps working and learns they were not used.
 */
import {
  FIELD_RESULT,
  LATER_BODIES,
  LATER_SHAPES,
  LaterRequestType,
  RequestType,
  ResultCode,
  TPI_BODIES,
  isLaterType,
  isRequestType,
  type LaterBody,
  type LaterShapeBody,
  type TpiBody,
} from '@elitewebchat/protocol';
import type { TSchema } from 'typebox';
import { Compile } from 'typebox/compile';
import { TpiError } from '../../errors.js';

const validators = new Map(Object.entries({ ...TPI_BODIES, ...LATER_BODIES }).map(([type, schema]) => [Number(type), Compile(schema)]));
const laterShapeValidators = new Map(Object.entries(LATER_SHAPES).map(([type, schema]) => [Number(type), Compile(schema)]));
const TYPES = [...Object.values(RequestType), ...Object.keys(LATER_BODIES)].join(', ');
/** Later types the platform does not answer yet: named, so a caller learns it is not a typo. */
const NOT_YET = new Set<number>(Object.values(LaterRequestType).filter((t) => !isLaterType(t)));
const utf8 = new TextDecoder('utf-8', { fatal: true });
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

export interface ParsedTpi {
  body: TpiBody;
  ignoredFields: string[];
}

export interface ParsedLater {
  body: LaterBody;
  ignoredFields: string[];
}

/** The body as a JSON object with a known numeric `type`, or a TpiError that says what is wrong. */
export function readTpi(raw: Buffer | string | undefined): Record<string, unknown> & { type: number } {
  if (raw === undefined || raw.length === 0) throw new TpiError(ResultCode.REQUEST_ERROR, 'empty body: a JSON object with a numeric "type" is expected');
  let text: string;
  try {
    text = typeof raw === 'string' ? raw : utf8.decode(raw);
  } catch {
    throw new TpiError(ResultCode.REQUEST_ERROR, 'body is not valid UTF-8');
  }
  let value: unknown;
  try {
    value = JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
  } catch (error) {
    throw new TpiError(ResultCode.REQUEST_ERROR, `body is not valid JSON: ${(error as Error).message}`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new TpiError(ResultCode.REQUEST_ERROR, 'body must be a JSON object');
  }
  const record = value as Record<string, unknown>;
  if (!('type' in record)) throw new TpiError(ResultCode.REQUEST_ERROR, `missing field "type" (one of ${TYPES})`);
  if (!isRequestType(record.type) && !isLaterType(record.type)) {
    if (typeof record.type === 'number' && NOT_YET.has(record.type)) throw new TpiError(ResultCode.REQUEST_ERROR, `type ${record.type} (later wire) is not supported by this platform yet`);
    throw new TpiError(ResultCode.REQUEST_ERROR, `unknown type ${JSON.stringify(record.type)}; expected one of ${TYPES}`);
  }
  return record as Record<string, unknown> & { type: number };
}

/** A later type's body (types 1–5), checked against its schema. */
export function checkLater(record: Record<string, unknown> & { type: number }): ParsedLater {
  return check(record, LATER_BODIES[record.type as keyof typeof LATER_BODIES]) as ParsedLater;
}

/** A seed type's body, checked against its schema (a later call's token already taken out). */
export function checkTpi(record: Record<string, unknown> & { type: number }): ParsedTpi {
  return check(record, TPI_BODIES[record.type as RequestType], validators) as ParsedTpi;
}

/** A seed type's body in a later call (with a token), checked against its later shape (LATER_SHAPES). */
export function checkLaterShape(record: Record<string, unknown> & { type: number }): { body: LaterShapeBody; ignoredFields: string[] } {
  return check(record, LATER_SHAPES[record.type as keyof typeof LATER_SHAPES], laterShapeValidators) as { body: LaterShapeBody; ignoredFields: string[] };
}

function check(record: Record<string, unknown> & { type: number }, typeSchema: TSchema, compiled = validators): { body: unknown; ignoredFields: string[] } {
  const schema = typeSchema as unknown as TSchema & { properties: Record<string, TSchema>; required?: string[] };
  const validator = compiled.get(record.type)!;
  if (!validator.Check(record)) throw invalidField(schema, record);
  const known = schema.properties;
  const ignoredFields: string[] = [];
  for (const field in record) {
    if (!Object.hasOwn(known, field)) {
      ignoredFields.push(field);
      continue;
    }
    // Text is stored as given, so it must be storable the same way in every store: PostgreSQL
    // takes no NUL, and half a surrogate pair is not a character anywhere.
    const value = record[field];
    if (typeof value !== 'string') continue;
    if (value.includes('\u0000')) throw new TpiError(resultFor(field), `field "${field}" contains a NUL character`);
    if (LONE_SURROGATE.test(value)) throw new TpiError(resultFor(field), `field "${field}" is not well-formed Unicode (a lone surrogate)`);
  }
  for (const field of ignoredFields) delete record[field];
  return { body: record, ignoredFields };
}

/** The first bad field, by the order the schema lists them, as a TpiError. */
function invalidField(schema: { properties: Record<string, TSchema>; required?: string[] }, record: Record<string, unknown>): TpiError {
  for (const [field, fieldSchema] of Object.entries(schema.properties)) {
    const present = Object.hasOwn(record, field) && record[field] !== undefined;
    const required = schema.required?.includes(field) ?? false;
    if (!present) {
      if (required) return new TpiError(resultFor(field), `missing field "${field}": ${expectation(fieldSchema)}`);
      continue;
    }
    if (!Compile(fieldSchema).Check(record[field])) {
      return new TpiError(resultFor(field), `field "${field}" must be ${expectation(fieldSchema)}; got ${describe(record[field])}`);
    }
  }
  return new TpiError(ResultCode.REQUEST_ERROR, 'body does not match its type');
}

function resultFor(field: string): ResultCode {
  return (FIELD_RESULT[field] ?? ResultCode.REQUEST_ERROR) as ResultCode;
}

function expectation(schema: TSchema): string {
  const s = schema as Record<string, unknown>;
  if (Array.isArray(s.anyOf)) return `one of ${(s.anyOf as { const?: unknown }[]).map((o) => JSON.stringify(o.const)).join(', ')}`;
  if (Array.isArray(s.enum)) return `one of ${(s.enum as unknown[]).map((v) => JSON.stringify(v)).join(', ')}`;
  if (s.const !== undefined) return `${JSON.stringify(s.const)}`;
  if (s.type === 'integer') {
    return `an integer from ${String(s.minimum ?? '-∞')} to ${String(s.maximum ?? '∞')}`;
  }
  if (s.type === 'string') {
    const parts = [`a string of ${String(s.minLength ?? 0)} to ${String(s.maxLength ?? '∞')} characters`];
    if (s.pattern) parts.push('without control characters');
    return parts.join(' ');
  }
  return `a ${String(s.type)}`;
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (typeof value === 'string') return value.length > 40 ? `a string of ${value.length} characters` : JSON.stringify(value);
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return Array.isArray(value) ? 'an array' : `an ${typeof value}`;
}
