/**
 * Expected failures inside `sources/`, `policy/`, `audit/` and `store/` are values, not exceptions.
 * Only the GraphQL layer turns an error value into a {@link GatewayError} with a code.
 */
export type Result<T, E> =
  { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: E };

export const ok = <T>(value: T): { readonly ok: true; readonly value: T } => ({ ok: true, value });
export const err = <E>(error: E): { readonly ok: false; readonly error: E } => ({ ok: false, error });
