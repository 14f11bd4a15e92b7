/**
 * The lint rule that keeps the server's boundaries (eslint.config.js), run on sample imports: it
 * must refuse what crosses a boundary and let the public modules through.
 */
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const eslint = new ESLint({ cwd: new URL('../..', import.meta.url).pathname });

async function refusals(filePath: string, importPath: string): Promise<string[]> {
  const [result] = await eslint.lintText(`import * as imported from '${importPath}';\nexport { imported };\n`, { filePath });
  return (result?.messages ?? []).filter((message) => message.ruleId === 'no-restricted-imports').map((message) => message.message);
}

describe('server boundaries', () => {
  it('lets a feature reach another only through its public module', async () => {
    expect(await refusals('src/payments/example.ts', '../wallet/ledger.js')).toEqual([
      expect.stringContaining('Import another feature only through its public module (index.js).'),
    ]);
    expect(await refusals('src/chat/example.ts', '../rooms/repository.js')).toHaveLength(1);
    expect(await refusals('src/payments/example.ts', '../wallet/index.js')).toEqual([]);
    expect(await refusals('src/payments/example.ts', './service.js')).toEqual([]);
    expect(await refusals('src/payments/example.ts', '../db/transaction.js')).toEqual([]);
  });

  it('holds the composition to the public modules too', async () => {
    expect(await refusals('src/app.ts', './wallet/service.js')).toHaveLength(1);
    expect(await refusals('src/app.ts', './wallet/index.js')).toEqual([]);
  });

  it('keeps config.ts and the plumbing free of features', async () => {
    expect(await refusals('src/config.ts', './accounts/index.js')).toEqual([expect.stringContaining('Plumbing and config.ts import no feature.')]);
    expect(await refusals('src/http/example.ts', '../accounts/index.js')).toHaveLength(1);
    expect(await refusals('src/db/migrations/example.ts', '../../wallet/ledger.js')).toHaveLength(1);
    expect(await refusals('src/infra/example.ts', '../rooms/index.js')).toHaveLength(1);
    expect(await refusals('src/http/example.ts', '../db/schema.js')).toEqual([]);
  });
});
