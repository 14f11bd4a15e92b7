/**
 * The contract documents viewer parameters as a "Body" even on GET endpoints, so they are accepted
 * both ways: as query string parameters (GET) and as a JSON body (POST). The query string wins.
 */
import { Type, type TProperties, type TSchema } from 'typebox';
import type { FastifyContextConfig, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { badRequest } from './errors.js';

/** Fastify refuses a body schema on GET, so each method gets its own: query only, or query + body. */
function contractParams<T extends TProperties>(properties: T, method: 'GET' | 'POST') {
  const schema = Type.Partial(Type.Object(properties));
  return method === 'GET' ? { querystring: schema } : { querystring: schema, body: Type.Optional(schema) };
}

export interface ContractRoute {
  url: string;
  config: FastifyContextConfig;
  schema: { tags: string[]; summary: string; response: Record<number, TSchema | { $ref: string }> };
  /** The parameters, all optional in the schema; the handler reads them with mergedParams. */
  params: TProperties;
  handler: (request: FastifyRequest, reply: FastifyReply) => Promise<unknown>;
}

/** Registers a contract endpoint for GET (query string) and POST (query string or JSON body). */
export function contractRoute(app: FastifyInstance, route: ContractRoute): void {
  for (const method of ['GET', 'POST'] as const) {
    app.route({
      method,
      url: route.url,
      config: route.config,
      schema: { ...route.schema, ...contractParams(route.params, method) },
      handler: route.handler,
    });
  }
}

export function mergedParams<T>(request: FastifyRequest): Partial<T> {
  const body = request.body && typeof request.body === 'object' ? request.body : {};
  return { ...(body as Partial<T>), ...(request.query as Partial<T>) };
}

export function requireRoomId(params: { room_id?: string }): string {
  const roomId = params.room_id?.trim();
  if (!roomId) throw badRequest('invalid_request', 'room_id is required');
  return roomId;
}

