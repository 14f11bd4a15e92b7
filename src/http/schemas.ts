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

/** Response schema map: the success schema plus the error envelope for every listed status. */
export function responses<T extends TSchema>(success: T, ...errorStatuses: number[]) {
  const map: Record<number, TSchema | { $ref: string }> = { 200: success };
  for (const status of [400, ...errorStatuses]) map[status] = { $ref: 'ErrorBody#' };
  return map;
}
