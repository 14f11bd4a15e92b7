/**
 * Fastify compiles every route's response serializer when the app boots, which is most of the time
 * an app takes to start (about 320 of 430 ms here). A test app answers a handful of routes, and the
 * test tier and mutation runs start one per test, so tests build each serializer on its first use
 * instead. Production keeps compiling at boot, where a schema that cannot compile stops the start.
 */
import SerializerSelector from '@fastify/fast-json-stringify-compiler';
import type { FastifyServerOptions } from 'fastify';

const compileAtBoot = SerializerSelector();

const compileOnFirstUse: SerializerSelector.SerializerFactory = (externalSchemas, serializerOptions) => {
  const compile = compileAtBoot(externalSchemas, serializerOptions);
  return (route) => {
    let serialize: SerializerSelector.Serializer | undefined;
    return (data: unknown) => (serialize ??= compile(route))(data);
  };
};

export const serializersOnFirstUse: NonNullable<FastifyServerOptions['schemaController']> = {
  compilersFactory: { buildSerializer: compileOnFirstUse },
};
