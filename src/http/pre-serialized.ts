/**
 * Hot read routes answer many viewers with the very same data object (a cached page or snapshot).
 * Serialising it once — with the route's own response schema, so the bytes are exactly what the
 * route would otherwise send — and handing Fastify the finished Buffer skips both the schema
 * serializer and the UTF-8 encoding on every further request. A body over the compression
 * threshold is also compressed once per encoding, not once per request. Each data object must not
 * change after it is first sent; a changed page is a new object.
 */
import type { FastifyReply } from 'fastify';
import { acceptedEncoding, compressBody, COMPRESSION_THRESHOLD_BYTES, type BodyEncoding } from './compression.js';

interface Bodies {
  identity: Buffer;
  br?: Buffer;
  gzip?: Buffer;
}

export class PreSerializedBodies {
  private readonly bodies = new WeakMap<object, Bodies>();

  /** Sends `{"code":0,"data":<data>}`, compressed when it is big enough and the client accepts it. */
  send(reply: FastifyReply, data: object): FastifyReply {
    let bodies = this.bodies.get(data);
    if (!bodies) {
      // Schema serializers (and JSON.stringify, their fallback) produce strings.
      bodies = { identity: Buffer.from(reply.serialize({ code: 0, data }) as string) };
      this.bodies.set(data, bodies);
    }
    void reply.type('application/json; charset=utf-8');
    if (bodies.identity.length < COMPRESSION_THRESHOLD_BYTES) return reply.send(bodies.identity);
    void reply.header('vary', 'accept-encoding');
    const encoding: BodyEncoding | undefined = acceptedEncoding(reply.request.headers['accept-encoding']);
    if (!encoding) return reply.send(bodies.identity);
    const compressed = (bodies[encoding] ??= compressBody(bodies.identity, encoding));
    return reply.header('content-encoding', encoding).send(compressed);
  }
}
