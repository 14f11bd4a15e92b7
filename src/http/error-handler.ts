import type { Socket } from 'node:net';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
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
  FST_ERR_BAD_URL: { status: 400, error: 'invalid_url', message: 'The address is not valid (bad percent-encoding)' },
  FST_ERR_MAX_PARAM_LENGTH: { status: 414, error: 'uri_too_long', message: 'A path parameter is too long' },
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

/**
 * Fastify's `frameworkErrors`: errors found before routing (bad percent-encoding, over-long path
 * parameters) go out in the same envelope as every other error.
 */
export function answerFrameworkError(err: FastifyError, request: FastifyRequest, reply: FastifyReply): void {
  const { status, body } = toErrorReply(err);
  if (status >= 500) request.log.error({ err }, 'request failed before routing');
  void reply.status(status).send(body);
}

const CLIENT_ERRORS: Record<string, { status: number; reason: string; error: string; message: string }> = {
  HPE_HEADER_OVERFLOW: { status: 431, reason: 'Request Header Fields Too Large', error: 'headers_too_large', message: 'Request headers are too large' },
  ERR_HTTP_REQUEST_TIMEOUT: { status: 408, reason: 'Request Timeout', error: 'request_timeout', message: 'The request took too long to arrive' },
};

/**
 * Fastify's `clientErrorHandler` (Node's `clientError`): a request Node could not even parse (headers
 * too large, malformed HTTP) never reaches Fastify; it is answered here in the envelope and the
 * connection closed, as Node itself would.
 */
export function answerClientError(err: NodeJS.ErrnoException, socket: Socket): void {
  if (err.code === 'ECONNRESET' || socket.destroyed) return;
  const known = (err.code && CLIENT_ERRORS[err.code]) || { status: 400, reason: 'Bad Request', error: 'bad_request', message: 'Malformed HTTP request' };
  const body = JSON.stringify({ code: 1, message: known.message, error: known.error });
  if (socket.writable) {
    socket.write(
      `HTTP/1.1 ${known.status} ${known.reason}\r\nContent-Type: application/json; charset=utf-8\r\n` +
        `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
    );
  }
  socket.destroy(err);
}
