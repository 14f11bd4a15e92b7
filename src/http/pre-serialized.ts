/**
 * Hot read routes answer many viewers with the very same data object (a cached page or snapshot).
 * Serialising it once — with the route's own response schema, so the bytes are exactly what the
 * route would otherwise send — and handing Fastify the finished Buffer skips both the schema
 * serializer and the UTF-8 encoding on every further request. Each data object must not change
 * after it is first sent; a changed page is a new object.
 */
import type { FastifyReply } from 'fastify';

export class PreSerializedBodies {
  private readonly bodies = new WeakMap<object, Buffer>();

  /** Sends `{"code":0,"data":<data>}`. */
  send(reply: FastifyReply, data: object): FastifyReply {
    let body = this.bodies.get(data);
    if (!body) {
      // Schema serializers (and JSON.stringify, their fallback) produce strings.
      body = Buffer.from(reply.serialize({ code: 0, data }) as string);
      this.bodies.set(data, body);
    }
    return reply.type('application/json; charset=utf-8').send(body);
  }
}
