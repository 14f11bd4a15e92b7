/**
 * The tests `npm run mutation` runs against each mutant: the money tests, and those of the decimal
 * amounts (src/infra) the payments use and of the reconciliation job's timer. The two SIGKILL tests
 * are left out because they run the code in child servers, where Stryker's mutants are never active.
 */
import { configDefaults, defineConfig } from 'vitest/config';
import base from './vitest.config.js';

export default defineConfig({
  ...base,
  test: {
    ...base.test,
    include: ['test/wallet/**/*.test.ts', 'test/payments/**/*.test.ts', 'test/infra/decimal.test.ts', 'test/infra/periodic-job.test.ts'],
    exclude: [...configDefaults.exclude, 'test/wallet/crash-safety.test.ts', 'test/payments/crash.test.ts'],
    // Stryker reruns the test files that cover each mutant; importing the app's modules afresh for
    // every file took more time than the tests (40 of 87 s for the whole set in one thread). Mutants
    // are switched on at run time (static ones are not run, stryker.config.mjs), so one module graph
    // serves every file and mutant. The test files share no module state: they pass this way too.
    isolate: false,
  },
});
