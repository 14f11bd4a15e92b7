import type { FastifyError, FastifyInstance } from 'fastify';
import { AppError } from './errors.js';

interface ErrorReply {
  status: number;
  body: { code: 1; message: string; error: string; [extra: string]: unknown };
}

/** Fastify's own error codes that are the client's fault, mapped to our envelope. */
const FRAMEWORK_ERRORS: Record<string, { status: number; error: string; message: string }> = {
  FST_ERR_CTP_INVALID_JSON_BODY: { status: 400, error: 'invalid_json', message: 'Request body is not valid JSON' },
  FST_ERR_CTP_EMPTY_JSON_BODY: { status: 400, error: 'invalid_json', message: 'Request body is empty' },
  FST_ERR_CTP_BODY_TOO_LARGE: { status: 413, error: 'body_too_large', message: 'Request body is too large' },
  FST_ERR_CTP_INVALID_MEDIA_TYPE: {
    status: 415,
    error: 'unsupported_media_type',
    message: 'Unsupported Content-Type',
  },
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: {
    status: 400,
    error: 'invalid_request',
    message: 'Content-Length does not match the body',
  },
};

export function toErrorReply(err: FastifyError | Error): ErrorReply {
  if (err instanceof AppError) {
    return {
      status: err.statusCode,
      body: { ...err.details, code: 1, message: err.message, error: err.error },
    };
  }
  const fastifyError = err as FastifyError;
  if (fastifyError.validation) {
    return {
      status: 400,
      body: { code: 1, message: err.message, error: 'invalid_request' },
    };
  }
  const known = fastifyError.code ? FRAMEWORK_ERRORS[fastifyError.code] : undefined;
  if (known) return { status: known.status, body: { code: 1, message: known.message, error: known.error } };
  const status = fastifyError.statusCode ?? 500;
  if (status >= 400 && status < 500) {
    return { status, body: { code: 1, message: err.message, error: 'invalid_request' } };
  }
  return { status: 500, body: { code: 1, message: 'Internal server error', error: 'internal_error' } };
}

/** One error handler for the whole app: the envelope everywhere, 5xx details only in the log. */
export function installErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler((err: FastifyError, request, reply) => {
    const { status, body } = toErrorReply(err);
    if (status >= 500) request.log.error({ err }, 'request failed');
    else if (status === 401 || status === 403) request.log.info({ error: body.error }, 'request refused');
    if ((status === 429 || status === 503) && typeof body.retry_after === 'number') {
      void reply.header('retry-after', String(body.retry_after));
    }
    return reply.status(status).send(body);
  });

  app.setNotFoundHandler((request, reply) => {
    return reply.status(404).send({
      code: 1,
      message: `No route for ${request.method} ${request.url.split('?')[0]}`,
      error: 'not_found',
    });
  });
}
