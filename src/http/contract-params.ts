/**
 * The contract documents viewer parameters as a "Body" even on GET endpoints, so they are accepted
 * both ways: as query string parameters (GET) and as a JSON body (POST). The query string wins.
 */
import { Type, type TProperties } from 'typebox';
import type { FastifyRequest } from 'fastify';
import { badRequest } from './errors.js';

/** Fastify refuses a body schema on GET, so each method gets its own: query only, or query + body. */
export function contractParams<T extends TProperties>(properties: T, method: 'GET' | 'POST') {
  const schema = Type.Partial(Type.Object(properties));
  return method === 'GET' ? { querystring: schema } : { querystring: schema, body: Type.Optional(schema) };
}

export const CONTRACT_METHODS = ['GET', 'POST'] as const;

export function mergedParams<T>(request: FastifyRequest): Partial<T> {
  const body = request.body && typeof request.body === 'object' ? request.body : {};
  return { ...(body as Partial<T>), ...(request.query as Partial<T>) };
}

export function requireRoomId(params: { room_id?: string }): string {
  const roomId = params.room_id?.trim();
  if (!roomId) throw badRequest('invalid_request', 'room_id is required');
  return roomId;
}

