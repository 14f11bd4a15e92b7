/**
 * `npm run mutation`: mutation testing of the money code. Each mutant (a small change to the code,
 * e.g. `>=` turned into `>`) must make at least one money test fail; the score is the share that
 * does. Not part of CI: a whole run takes 73 minutes on a 2-core machine (README).
 * Report: reports/mutation/.
 * @type {import('@stryker-mutator/api/core').PartialStrykerOptions}
 */
export default {
  packageManager: 'npm',
  testRunner: 'vitest',
  // The money tests only (test/wallet, test/payments, without the SIGKILL tests; see that file).
  vitest: { configFile: 'vitest.mutation.config.ts', related: false },
  checkers: ['typescript'],
  tsconfigFile: 'tsconfig.mutation.json',
  typescriptChecker: { prioritizePerformanceOverAccuracy: true },
  coverageAnalysis: 'perTest',
  // Mutants of module-level constants (the status sets, the decimal pattern, account ids) are only
  // active while a module loads: Stryker must run every test for each, which took 47 % of a whole
  // run here, and it reports them as survived even when the same change made by hand fails the tests
  // (the test runner keeps the unmutated module loaded). They are checked by hand instead (README).
  ignoreStatic: true,
  mutate: [
    'src/wallet/ledger.ts',
    'src/wallet/service.ts',
    'src/wallet/repository.ts',
    'src/wallet/access-policy.ts',
    // Split out of service.ts: the platform fee and Idempotency-Key handling, credits and
    // adjustments, the amount limits.
    'src/wallet/charge.ts',
    'src/wallet/diamonds.ts',
    'src/wallet/limits.ts',
    'src/payments/service.ts',
    'src/payments/ipn-signature.ts',
    'src/payments/status.ts',
    'src/payments/reconciliation.ts',
    // The reconciliation job's timer, shared with other periodic jobs.
    'src/infra/periodic-job.ts',
    'src/infra/decimal.ts',
  ],
  // '.stryker-tmp*': runs with their own --tempDirName must not copy each other's sandboxes.
  ignorePatterns: ['docs', 'dist', 'data', 'test-results', 'reports', 'bench/results', '.stryker-tmp*'],
  concurrency: 2,
  timeoutMS: 30_000,
  // The first, unmutated run of all the money tests takes minutes on a busy machine.
  dryRunTimeoutMinutes: 30,
  reporters: ['clear-text', 'progress', 'html', 'json'],
  htmlReporter: { fileName: 'reports/mutation/index.html' },
  jsonReporter: { fileName: 'reports/mutation/mutation.json' },
  thresholds: { high: 90, low: 85, break: null },
};
