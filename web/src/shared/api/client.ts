/**
 * The one place that knows the server's URLs and envelopes. Paths, parameters, bodies and answers
 * are typed by the generated `paths` of the server's OpenAPI document, so a call that does not match
 * a route's schema does not compile. Every call resolves to the typed payload or throws an ApiError
 * carrying the server's machine code (`error`) and words (`message`).
 */
import type { paths } from './schema.gen.ts';

export class ApiError extends Error {
  constructor(
    /** HTTP status; 0 when the request never reached the server. */
    readonly status: number,
    /** Machine code such as `rate_limited`, `muted`, `insufficient_balance`, or `network_error`. */
    readonly error: string,
    message: string,
    /** Extra fields of the error body (e.g. `retry_after`, the current price). */
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

type Method = 'get' | 'post' | 'patch' | 'delete';
type Path = keyof paths;
/** The paths that answer `method`. */
type PathWith<M extends Method> = { [P in Path]: paths[P][M] extends { responses: unknown } ? P : never }[Path];
type Operation<P extends Path, M extends Method> = paths[P][M];

/** The success (200) body of an operation. */
export type Ok<P extends Path, M extends Method> =
  Operation<P, M> extends { responses: { 200: { content: { 'application/json': infer Body } } } } ? Body : never;
/** The `data` of an operation answering the contract's `{"code":0,"data":...}`. */
export type OkData<P extends Path, M extends Method> = Ok<P, M> extends { data: infer Data } ? Data : never;
/** The error envelope, as the server declares it for a refused request. */
type ErrorBody = paths['/api/users/login']['post']['responses'][400]['content']['application/json'];

/** The JSON request body of an operation. */
export type RequestBody<P extends Path, M extends Method> =
  Operation<P, M> extends { requestBody: { content: { 'application/json': infer Body } } } ? Body : never;
type PathParams<P extends Path, M extends Method> = Operation<P, M> extends { parameters: { path: infer Params } } ? Params : never;
type QueryParams<P extends Path, M extends Method> = Operation<P, M> extends { parameters: { query?: infer Query } } ? Query : never;

interface RequestOptions<P extends Path, M extends Method> {
  params?: PathParams<P, M>;
  query?: QueryParams<P, M>;
  body?: RequestBody<P, M>;
  /** Extra request headers, e.g. an Idempotency-Key that makes a retried payment safe. */
  headers?: Record<string, string>;
}

/** A path of the API with its `{parameters}` filled in and the defined query values appended. */
export function apiUrl(path: string, params?: Record<string, unknown>, query?: Record<string, unknown>): string {
  const filled = params ? path.replace(/\{(\w+)\}/g, (_match, name: string) => encodeURIComponent(String(params[name]))) : path;
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(query ?? {})) {
    if (value !== undefined && value !== null) search.set(key, String(value));
  }
  const text = search.toString();
  return text ? `${filled}?${text}` : filled;
}

/** Calls an operation; resolves to its success body or throws an ApiError. */
export async function request<P extends PathWith<M>, M extends Method>(method: M, path: P, options: RequestOptions<P, M> = {}): Promise<Ok<P, M>> {
  const { body } = options;
  let response: Response;
  try {
    // Parameter objects of the generated types are plain records of scalars.
    response = await fetch(apiUrl(path, options.params as Record<string, unknown> | undefined, options.query as Record<string, unknown> | undefined), {
      method: method.toUpperCase(),
      credentials: 'same-origin',
      headers: {
        accept: 'application/json',
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        ...options.headers,
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch {
    throw new ApiError(0, 'network_error', 'Network error');
  }
  let answer: { code?: unknown } | undefined;
  try {
    answer = await response.json();
  } catch {
    answer = undefined;
  }
  if (!answer || !response.ok || answer.code !== 0) {
    // A refusal follows the error envelope; anything else (a proxy's page, no body) leaves it empty.
    const { code: _code, message, error, ...details } = (answer ?? {}) as Partial<ErrorBody>;
    throw new ApiError(response.status, error ?? (response.ok ? 'unexpected_response' : `http_${response.status}`), message ?? response.statusText, details);
  }
  // A success answer is serialised through the route's response schema, which typed it.
  return answer as Ok<P, M>;
}

/** The `data` of a `{"code":0,"data":...}` answer. */
export async function requestData<P extends PathWith<M>, M extends Method>(method: M, path: P, options?: RequestOptions<P, M>): Promise<OkData<P, M>> {
  const answer = (await request(method, path, options)) as { data: OkData<P, M> };
  return answer.data;
}

/** A `{"code":0,...fields}` answer without its envelope code. */
export async function requestFields<P extends PathWith<M>, M extends Method>(method: M, path: P, options?: RequestOptions<P, M>): Promise<Omit<Ok<P, M>, 'code'>> {
  const { code: _code, ...rest } = (await request(method, path, options)) as Ok<P, M> & { code: 0 };
  return rest;
}
