/**
 * Every failure leaves the server as `{"code":1,"message":"...","error":"<machine_code>"}`.
 * Services throw AppError; the single error handler in `src/http/error-handler.ts` turns anything
 * else into the same envelope and hides the details of 5xx responses.
 */
export class AppError extends Error {
  constructor(
    readonly statusCode: number,
    readonly error: string,
    message: string,
    /** Extra fields merged into the error body, e.g. the current price on `price_changed`. */
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = 'AppError';
  }
}

export const badRequest = (error: string, message: string, details?: Record<string, unknown>) =>
  new AppError(400, error, message, details);
export const unauthorized = (message = 'Login required', error = 'unauthorized') =>
  new AppError(401, error, message);
export const forbidden = (error: string, message: string) => new AppError(403, error, message);
export const notFound = (error: string, message: string) => new AppError(404, error, message);
export const conflict = (error: string, message: string, details?: Record<string, unknown>) =>
  new AppError(409, error, message, details);
export const tooManyRequests = (message: string, retryAfterSeconds: number, error = 'rate_limited') =>
  new AppError(429, error, message, { retry_after: retryAfterSeconds });
