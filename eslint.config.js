import { readdirSync } from 'node:fs';
import js from '@eslint/js';
import reactHooks from 'eslint-plugin-react-hooks';
import tseslint from 'typescript-eslint';
import globals from 'globals';

/**
 * Boundaries of the web app (web/src): a feature is used from outside only through its public
 * `index.ts`; shared code knows no feature; only the app shell composes features. Relative imports
 * are matched as written, so a feature's own folders must not share a name with another feature.
 */
const WEB_FEATURES = readdirSync(new URL('./web/src/features', import.meta.url), { withFileTypes: true })
  .filter((entry) => entry.isDirectory())
  .map((entry) => entry.name);
const THROUGH_INDEX = 'Use another feature only through its public index.ts (web/src/features/<feature>/index.ts).';

const webBoundaries = [
  ...WEB_FEATURES.map((feature) => {
    const others = WEB_FEATURES.filter((other) => other !== feature).join('|');
    return {
      files: [`web/src/features/${feature}/**/*.{ts,tsx}`],
      rules: {
        'no-restricted-imports': [
          'error',
          {
            patterns: [
              ...(others ? [{ regex: `^(\\.\\./)+(features/)?(${others})/(?!index\\.ts$)`, message: THROUGH_INDEX }] : []),
              { regex: '^(\\.\\./)+app/', message: 'Features do not import the app shell: the app composes features.' },
            ],
          },
        ],
      },
    };
  }),
  {
    files: ['web/src/shared/**/*.{ts,tsx}'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [{ regex: '^(\\.\\./)+(features|app)/', message: 'Shared code must not depend on a feature or on the app shell.' }] },
      ],
    },
  },
  {
    files: ['web/src/app/**/*.{ts,tsx}', 'web/src/*.{ts,tsx}'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ regex: '(^|/)features/[^/]+/(?!index\\.ts$)', message: THROUGH_INDEX }] }],
    },
  },
];

/**
 * Server boundaries. Plumbing (http, db, infra) knows no feature; every other folder of src/ is a
 * feature, whose index.ts is its public module: the only file another feature, or the composition
 * (app.ts, runtime.ts), may import from it. config.ts imports no feature at all.
 */
const PLUMBING = ['http', 'db', 'infra'];
const FEATURES = readdirSync(new URL('./src', import.meta.url), { withFileTypes: true })
  .filter((entry) => entry.isDirectory() && !PLUMBING.includes(entry.name))
  .map((entry) => entry.name);
const anyOf = (names) => names.map((name) => name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|');

/** Relative imports (`prefix`: the way up to src/) of anything in `features` but their index.js. */
function featureInternals(features, prefix) {
  return { regex: `^${prefix}(?:${anyOf(features)})/(?!index\\.js$)`, message: 'Import another feature only through its public module (index.js).' };
}

function boundaries(files, patterns) {
  return { files, rules: { 'no-restricted-imports': ['error', { patterns }] } };
}

const serverBoundaries = [
  ...FEATURES.map((feature) =>
    boundaries([`src/${feature}/**/*.ts`], [featureInternals(FEATURES.filter((other) => other !== feature), '(?:\\.\\./)+')]),
  ),
  boundaries(['src/*.ts'], [featureInternals(FEATURES, '\\./')]),
  boundaries(
    ['src/config.ts', ...PLUMBING.map((folder) => `src/${folder}/**/*.ts`)],
    [{ regex: `^(?:\\./|(?:\\.\\./)+)(?:${anyOf(FEATURES)})(?:/|$)`, message: 'Plumbing and config.ts import no feature.' }],
  ),
];

export default tseslint.config(
  { ignores: ['dist/', 'web/dist/', 'node_modules/', 'data/', 'coverage/', 'test-results/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  ...serverBoundaries,
  {
    files: ['web/src/**/*.{ts,tsx}'],
    ...reactHooks.configs.flat.recommended,
    languageOptions: { globals: { ...globals.browser } },
  },
  ...webBoundaries,
  {
    // The SillyTavern extension runs in SillyTavern's page, as plain ES modules.
    files: ['extensions/**/*.js'],
    languageOptions: { globals: { ...globals.browser, SillyTavern: 'readonly', toastr: 'readonly' } },
  },
);
