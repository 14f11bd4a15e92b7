/** `GET /media/:image_key/:file`: a stored size of an uploaded image, cacheable for good. */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply } from 'fastify';
import { Type } from 'typebox';
import { notFound } from '../http/errors.js';
import { responses } from '../http/schemas.js';
import { MediaParams } from './schemas.js';
import type { ImageService } from './service.js';

/** The key is a hash of the upload: the bytes behind a URL never change, so caches may keep them for good. */
const IMMUTABLE = 'public, max-age=31536000, immutable';

export const imagesRoutes: FastifyPluginAsyncTypebox<{ images: ImageService }> = async (app, { images }) => {
  app.get(
    '/media/:image_key/:file',
    {
      config: { auth: 'public' },
      schema: {
        tags: ['media'],
        summary: 'A room cover or avatar at one of its fixed sizes (WebP); immutable, with an ETag',
        params: MediaParams,
        response: {
          ...responses(Type.Unsafe<Buffer>({ type: 'string', format: 'binary', description: 'image/webp' }), 404),
          304: Type.Null({ description: 'Not modified (If-None-Match matched the ETag)' }),
        },
      },
    },
    async (request, typedReply) => {
      // Binary answers: the type provider's reply only knows JSON bodies.
      const reply = typedReply as FastifyReply;
      const { image_key: imageKey, file } = request.params;
      const variant = file.replace(/\.webp$/, '');
      const etag = `"${imageKey}-${variant}"`;
      void reply.header('cache-control', IMMUTABLE).header('etag', etag);
      if (request.headers['if-none-match'] === etag) return reply.code(304).send();
      const image = await images.find(imageKey, variant);
      if (!image) {
        void reply.header('cache-control', 'no-store');
        throw notFound('image_not_found', 'No such image');
      }
      return reply.type(image.contentType).header('x-content-type-options', 'nosniff').send(image.bytes);
    },
  );
};
