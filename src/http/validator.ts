/**
 * Fastify's validator compiler, over TypeBox: query strings and path params are converted
 * ("10" → 10) before the check, JSON bodies never are, so a body sending "amount":"10" is refused
 * instead of silently coerced. A value that already passes is taken as it is: most query strings
 * hold only strings, and converting walks the whole schema on every request.
 */
import type { FastifyInstance, FastifySchemaCompiler } from 'fastify';
import type { TSchema } from 'typebox';
import { Compile } from 'typebox/compile';
import { Value } from 'typebox/value';
import { describeInputProblem, inputProblem, type InputProblem } from './input-guard.js';

/** Shaped like a schema failure, so the error handler answers it as any other 400 invalid_request. */
function inputError(problem: InputProblem, httpPart: string | undefined): Error {
  return Object.assign(new Error(describeInputProblem(problem)), {
    validation: [{ message: describeInputProblem(problem), instancePath: problem.kind === 'nul' ? problem.path : '' }],
    validationContext: httpPart,
  });
}

export const validatorCompiler: FastifySchemaCompiler<TSchema> = ({ schema, httpPart }) => {
  const typeCheck = Compile(schema);
  return (value) => {
    // Before the schema check, which recurses: NUL and over-deep nesting never reach a handler.
    const problem = inputProblem(value);
    if (problem) return { error: inputError(problem, httpPart) };
    if (typeCheck.Check(value)) return { value };
    const converted = httpPart === 'body' ? value : Value.Convert(schema, value);
    if (typeCheck.Check(converted)) return { value: converted };
    return { error: typeCheck.Errors(converted) };
  };
};

/**
 * Makes every route validate with validatorCompiler. setValidatorCompiler alone is not enough:
 * Fastify rebuilds a context's validator from its compiler factory (Ajv, which coerces bodies)
 * when schemas are added to the context, or to an ancestor after the context was created. So each
 * route names the compiler itself.
 */
export function validateWithTypeBox(app: FastifyInstance): void {
  app.setValidatorCompiler(validatorCompiler);
  app.addHook('onRoute', (route) => {
    route.validatorCompiler ??= validatorCompiler;
  });
}
