/**
 * From the bytes of a TPI call to a checked body, or a TpiFailure with the result code the
 * platform answers: the protocol's TypeBox schemas decide, and the first bad field (in the
 * schema's order) picks the code (FIELD_RESULT: clientId -6, queueId -7, requestId -10,
 * sessionId -11, anything else -8). Unknown fields are dropped and named.
 */
import { FIELD_RESULT, LATER_BODIES, LATER_SHAPES, LaterResultCode, RequestType, ResultCode, TPI_BODIES, hasLaterShape, isLaterType, isRequestType } from '@elitewebchat/protocol';
import type { TSchema } from 'typebox';
import { Compile } from 'typebox/compile';

/** A call the mock answers with `result` other than 1. */
export class TpiFailure extends Error {
  constructor(
    readonly result: number,
    message: string,
  ) {
    super(message);
  }
}

/** The largest body, as the platform's default (ceil(5 MiB × 4/3) + 64 KiB). */
export const MAX_BODY_BYTES = 7_056_043;

type Schema = TSchema & { properties: Record<string, TSchema>; required?: string[] };
const compileAll = (bodies: Record<string, TSchema>) => new Map(Object.entries(bodies).map(([type, schema]) => [Number(type), { schema: schema as Schema, check: Compile(schema) }]));
const seed = compileAll(TPI_BODIES);
const later = compileAll(LATER_BODIES);
const laterShapes = compileAll(LATER_SHAPES);
const fieldCheckers = new Map<TSchema, ReturnType<typeof Compile>>();
const TYPES = [...Object.values(RequestType), ...Object.keys(LATER_BODIES)].join(', ');
const utf8 = new TextDecoder('utf-8', { fatal: true });

export type CallRecord = Record<string, unknown> & { type: number };

/** The body as a JSON object with a known numeric type. */
export function readCall(raw: Buffer): CallRecord {
  if (raw.length === 0) throw new TpiFailure(ResultCode.REQUEST_ERROR, 'empty body: a JSON object with a numeric "type" is expected');
  if (raw.length > MAX_BODY_BYTES) throw new TpiFailure(ResultCode.REQUEST_ERROR, `body is larger than ${MAX_BODY_BYTES} bytes`);
  let text: string;
  try {
    text = utf8.decode(raw);
  } catch {
    throw new TpiFailure(ResultCode.REQUEST_ERROR, 'body is not valid UTF-8');
  }
  let value: unknown;
  try {
    value = JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
  } catch (error) {
    throw new TpiFailure(ResultCode.REQUEST_ERROR, `body is not valid JSON: ${(error as Error).message}`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new TpiFailure(ResultCode.REQUEST_ERROR, 'body must be a JSON object');
  const record = value as Record<string, unknown>;
  if (!('type' in record)) throw new TpiFailure(ResultCode.REQUEST_ERROR, `missing field "type" (one of ${TYPES})`);
  if (!isRequestType(record.type) && !isLaterType(record.type)) {
    throw new TpiFailure(ResultCode.REQUEST_ERROR, `unknown type ${JSON.stringify(record.type)}; expected one of ${TYPES}`);
  }
  return record as CallRecord;
}

/** Which schema a call is checked against: a later type's, a seed type's later shape (with a token), or the seed's. */
export function schemaFor(type: number, withToken: boolean): Schema {
  if (isLaterType(type)) return later.get(type)!.schema;
  if (withToken && hasLaterShape(type)) return laterShapes.get(type)!.schema;
  return seed.get(type)!.schema;
}

/**
 * messageId (the later name of msgId): a string of 1–128 characters or an integer, kept as
 * msgId where the type's schema has one; -33 when malformed or different from a msgId beside it.
 */
export function takeMessageId(record: CallRecord, withToken: boolean): void {
  if (record.messageId === undefined) return;
  const id = record.messageId;
  delete record.messageId;
  const text = typeof id === 'string' || (typeof id === 'number' && Number.isSafeInteger(id)) ? String(id) : '';
  if (text === '' || text.length > 128) throw new TpiFailure(LaterResultCode.INVALID_MESSAGE_ID, 'messageId must be your id of the message: a string of 1 to 128 characters or an integer');
  if (record.msgId !== undefined && record.msgId !== text) throw new TpiFailure(LaterResultCode.INVALID_MESSAGE_ID, 'messageId and msgId differ: send one of them');
  if ('msgId' in schemaFor(record.type, withToken).properties) record.msgId = text;
}

/** Checks the body against its schema; drops unknown fields and answers their names. */
export function checkCall(record: CallRecord, withToken: boolean): { ignored: string[] } {
  const type = record.type;
  const entry = isLaterType(type) ? later.get(type)! : withToken && hasLaterShape(type) ? laterShapes.get(type)! : seed.get(type)!;
  if (!entry.check.Check(record)) throw firstBadField(entry.schema, record);
  const ignored = Object.keys(record).filter((field) => !Object.hasOwn(entry.schema.properties, field));
  for (const field of ignored) delete record[field];
  return { ignored };
}

export function resultFor(field: string): number {
  return FIELD_RESULT[field] ?? ResultCode.REQUEST_ERROR;
}

function firstBadField(schema: Schema, record: Record<string, unknown>): TpiFailure {
  for (const [field, fieldSchema] of Object.entries(schema.properties)) {
    const present = Object.hasOwn(record, field) && record[field] !== undefined;
    if (!present) {
      if (schema.required?.includes(field)) return new TpiFailure(resultFor(field), `missing field "${field}": ${expectation(fieldSchema)}`);
      continue;
    }
    let check = fieldCheckers.get(fieldSchema);
    if (!check) fieldCheckers.set(fieldSchema, (check = Compile(fieldSchema)));
    if (!check.Check(record[field])) return new TpiFailure(resultFor(field), `field "${field}" must be ${expectation(fieldSchema)}; got ${describe(record[field])}`);
  }
  return new TpiFailure(ResultCode.REQUEST_ERROR, 'body does not match its type');
}

function expectation(schema: TSchema): string {
  const s = schema as Record<string, unknown>;
  if (Array.isArray(s.enum)) return `one of ${(s.enum as unknown[]).map((v) => JSON.stringify(v)).join(', ')}`;
  if (s.const !== undefined) return JSON.stringify(s.const);
  if (s.type === 'integer' || s.type === 'number') return `${s.type === 'integer' ? 'an integer' : 'a number'} from ${String(s.minimum ?? '-∞')} to ${String(s.maximum ?? '∞')}`;
  if (s.type === 'string') return `a string of ${String(s.minLength ?? 0)} to ${String(s.maxLength ?? '∞')} characters${s.pattern ? ' matching ' + String(s.pattern) : ''}`;
  return `a ${String(s.type ?? 'valid value')}`;
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (typeof value === 'string') return value.length > 40 ? `a string of ${value.length} characters` : JSON.stringify(value);
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return Array.isArray(value) ? 'an array' : `an ${typeof value}`;
}

