import { Type, type TSchema } from 'typebox';

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
