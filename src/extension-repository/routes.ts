/**
 * The SillyTavern extension as a read-only git repository over HTTP, at
 * `/extensions/pecktra-live.git`: the URL an anchor pastes into SillyTavern's "Install extension".
 */
import { gunzipSync } from 'node:zlib';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { AppError, badRequest, notFound } from '../http/errors.js';
import type { Repository } from './git-objects.js';
import { advertiseRefs, parseUploadPackRequest, UploadPackRequestError, uploadPack } from './upload-pack.js';

export const EXTENSION_REPOSITORY_PATH = '/extensions/pecktra-live.git';
const REQUEST_TYPE = 'application/x-git-upload-pack-request';
/** A clone's request is a few hundred bytes; a fetch adds a "have" line per local commit. */
const MAX_REQUEST_BYTES = 64 * 1024;

export interface ExtensionRepositoryRoutesOptions {
  repository: Repository | null;
}

const GitBinary = Type.String({ description: 'git protocol bytes' });
const gitResponses = {
  200: GitBinary,
  400: { $ref: 'ErrorBody#' },
  404: { $ref: 'ErrorBody#' },
};

export const extensionRepositoryRoutes: FastifyPluginAsyncTypebox<ExtensionRepositoryRoutesOptions> = async (
  app,
  { repository },
) => {
  const available = (): Repository => {
    if (!repository) throw notFound('extension_unavailable', 'This server does not serve the SillyTavern extension');
    return repository;
  };

  // git compresses larger requests with gzip; anything else arrives as raw pkt-lines.
  app.addContentTypeParser(REQUEST_TYPE, { parseAs: 'buffer', bodyLimit: MAX_REQUEST_BYTES }, (request, body, done) => {
    const encoding = request.headers['content-encoding'];
    if (encoding === undefined || encoding === 'identity') return done(null, body);
    if (encoding !== 'gzip') return done(new AppError(415, 'unsupported_encoding', `Content-Encoding ${encoding} is not supported`));
    try {
      done(null, gunzipSync(body as Buffer, { maxOutputLength: MAX_REQUEST_BYTES }));
    } catch {
      done(badRequest('invalid_body', 'The request body is not valid gzip within 64 KB'));
    }
  });

  app.get(
    `${EXTENSION_REPOSITORY_PATH}/info/refs`,
    {
      config: { auth: 'public' },
      schema: {
        tags: ['bridge'],
        summary: 'git smart-HTTP ref advertisement of the SillyTavern extension (for git clone)',
        querystring: Type.Object({ service: Type.Literal('git-upload-pack') }),
        response: gitResponses,
      },
    },
    async (_request, reply) => {
      const advertisement = advertiseRefs(available());
      return reply
        .type('application/x-git-upload-pack-advertisement')
        .header('cache-control', 'no-cache')
        .send(advertisement);
    },
  );

  app.post(
    `${EXTENSION_REPOSITORY_PATH}/git-upload-pack`,
    {
      bodyLimit: MAX_REQUEST_BYTES,
      config: { auth: 'public' },
      schema: {
        tags: ['bridge'],
        summary: 'git smart-HTTP upload-pack: the extension as a packfile (for git clone / fetch)',
        response: { ...gitResponses, 415: { $ref: 'ErrorBody#' } },
      },
    },
    async (request, reply) => {
      const served = available();
      if (!Buffer.isBuffer(request.body)) throw new AppError(415, 'unsupported_media_type', `Send ${REQUEST_TYPE}`);
      let parsed;
      try {
        parsed = parseUploadPackRequest(request.body);
      } catch (error) {
        if (error instanceof UploadPackRequestError) throw badRequest('invalid_git_request', error.message);
        throw error;
      }
      return reply
        .type('application/x-git-upload-pack-result')
        .header('cache-control', 'no-cache')
        .send(uploadPack(served, parsed));
    },
  );
};
