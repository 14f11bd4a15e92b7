import Fastify from 'fastify';
import { Type } from 'typebox';
import { describe, expect, it } from 'vitest';
import { validateWithTypeBox, validatorCompiler } from '../../src/http/validator.js';

const schema = Type.Object({ room_id: Type.String(), limit: Type.Optional(Type.Integer()), follow: Type.Optional(Type.Boolean()) });
const validate = (httpPart: string, value: unknown) =>
  validatorCompiler({ schema, httpPart, method: 'GET', url: '/x' })(value) as { value?: unknown; error?: unknown };

describe('validatorCompiler', () => {
  it('converts query string values to the schema types', () => {
    expect(validate('querystring', { room_id: 'r1', limit: '10', follow: 'true' })).toEqual({ value: { room_id: 'r1', limit: 10, follow: true } });
  });

  it('takes an already valid value as it is', () => {
    const query = { room_id: 'r1' };
    expect(validate('querystring', query).value).toBe(query);
  });

  it('never converts a JSON body: a number sent as a string is refused', () => {
    expect(validate('body', { room_id: 'r1', limit: '10' }).error).toBeDefined();
    expect(validate('body', { room_id: 'r1', limit: 10 })).toEqual({ value: { room_id: 'r1', limit: 10 } });
  });

  it('refuses what no conversion can fix', () => {
    expect(validate('querystring', { room_id: 'r1', limit: 'ten' }).error).toBeDefined();
  });
});

describe('validateWithTypeBox', () => {
  it('keeps bodies strict in a context created before the app shares another schema', async () => {
    const app = Fastify();
    validateWithTypeBox(app);
    await app.register(async (feature) => {
      feature.post('/x', { schema: { body: schema } }, async (request) => request.body);
    });
    // A later plugin sharing a schema makes Fastify rebuild the validators of existing contexts.
    app.addSchema(Type.Object({ ok: Type.Boolean() }, { $id: 'Shared' }));
    const res = await app.inject({ method: 'POST', url: '/x', payload: { room_id: 'r1', limit: '10' } });
    expect(res.statusCode).toBe(400);
    await app.close();
  });
});
