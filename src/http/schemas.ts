import { Type, type TNumberOptions, type TSchema, type TStringOptions } from 'typebox';

/** Largest value of the database's 32-bit integer columns (transcript floors, viewer message ids). */
export const MAX_DB_INTEGER = 2_147_483_647;

/** Input text. NUL is refused here and, for every input, by the validator (PostgreSQL cannot store it). */
export function Text(options: TStringOptions = {}) {
  return Type.String({ pattern: '^[^\\u0000]*$', ...options });
}

/** Our own ids (newId, newSortableId, UUIDs): url-safe characters only, so nothing else reaches a lookup. */
export function Id(options: TStringOptions = {}) {
  return Type.String({ pattern: '^[A-Za-z0-9_-]{1,64}$', ...options });
}

/** An integer input that a 32-bit database column can hold. */
export function DbInteger(options: TNumberOptions = {}) {
  return Type.Integer({ minimum: -MAX_DB_INTEGER - 1, maximum: MAX_DB_INTEGER, ...options });
}

/** A millisecond time: beyond 2^53 a number is no longer an exact integer. */
export function Millis(options: TNumberOptions = {}) {
  return Type.Integer({ minimum: 0, maximum: Number.MAX_SAFE_INTEGER, ...options });
}

/** The failure envelope; extra details (e.g. `retry_after`) are allowed. */
export const ErrorBody = Type.Object(
  {
    code: Type.Literal(1),
    message: Type.String(),
    error: Type.String(),
  },
  { additionalProperties: true, $id: 'ErrorBody' },
);

export const OkBody = Type.Object({ code: Type.Literal(0) });

/** `{"code":0,"data":<data>}` — the contract's success shape. */
export function okData<T extends TSchema>(data: T) {
  return Type.Object({ code: Type.Literal(0), data });
}

/**
 * A reference to a named schema shared on the instance (`app.addSchema`). A named schema nested in
 * a route's response becomes an OpenAPI component by itself; one that is the whole response (a
 * contract answer with `code` beside its fields) is shared and referenced to get there.
 */
export function ref(schema: TSchema & { $id?: string }): { $ref: string } {
  if (!schema.$id) throw new Error('ref() needs a schema with an $id');
  return { $ref: `${schema.$id}#` };
}

/** Response schema map: the success schema plus the error envelope for every listed status. */
export function responses(success: TSchema | { $ref: string }, ...errorStatuses: number[]) {
  const map: Record<number, TSchema | { $ref: string }> = { 200: success };
  for (const status of [400, ...errorStatuses]) map[status] = { $ref: 'ErrorBody#' };
  return map;
}
