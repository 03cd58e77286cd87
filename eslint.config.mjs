// ESLint flat config: type-aware typescript-eslint for every TypeScript file (one TypeScript project
// service over tsconfig.json), and the import rules that keep workflow code deterministic and
// bundleable (STYLE.md). Run with `npm run lint`; `npm test` runs it too.
import { builtinModules } from 'node:module';
import js from '@eslint/js';
import { defineConfig, globalIgnores } from 'eslint/config';
import globals from 'globals';
import tseslint from 'typescript-eslint';

/**
 * The libs/domain modules workflow code may import at run time: pure arithmetic and the vocabulary.
 * None loads the holiday calendar (calendar.ts) or does I/O, and they import only each other.
 */
export const DETERMINISTIC_DOMAIN = [
  'types',
  'format',
  'dates',
  'checks',
  'time-limits',
  'contract-rules',
  'text',
  'canonical-json',
  'accelerated',
  'procedures',
  'violations',
  'thresholds',
  'errors',
  'policy',
  'direct-award',
  'phases',
  'absences',
  'delegation',
  'delegation-authority',
  'requirements',
  'assessment',
  'red-flags',
  'evaluation-model',
  'scoring',
  'award-notice',
  'decision-documents',
  'contract-changes',
  'contract-sanctions',
];

/**
 * The libs/temporal-common modules workflow code may import at run time: the shared vocabulary
 * (types, refusals, signatures, ids, search attribute keys). The others hold clients, credentials,
 * files or Node's crypto: the API and the worker use them, workflows at most by `import type`.
 */
export const WORKFLOW_TEMPORAL_COMMON = [
  'command-signature',
  'command-types',
  'common-types',
  'contract-types',
  'document-digest',
  'errors',
  'ids',
  'message-refs',
  'refusals',
  'search-attributes',
  'state-parts',
  'tender-payloads',
  'tender-texts',
  'tender-types',
];

const NO_BUILTINS =
  'Workflow code may not use Node built-ins (the workflow bundle runs in a sandbox). Call an activity.';

/** What workflow code may not import: the Temporal bundler would reject it, or it is not deterministic. */
const WORKFLOW_IMPORTS = {
  paths: [
    ...builtinModules.filter((m) => !m.startsWith('_')).map((name) => ({ name, message: NO_BUILTINS })),
    ...['typeorm', 'pg', '@temporalio/client', '@nestjs/common', 'express'].map((name) => ({
      name,
      message: 'Workflow code is deterministic: no database or HTTP clients (STYLE.md). Call an activity.',
    })),
  ],
  patterns: [
    { group: ['node:*'], message: NO_BUILTINS },
    { regex: '^(\\.\\./)+apps(/|$)', message: 'Workflow code may not import from apps/.' },
    {
      regex: '^((\\.\\./)+libs/db|@tenderflow/db)(/|$)',
      message: 'Workflow code may not import libs/db: call an activity.',
    },
    {
      regex: '^((\\.\\./)+activities|@tenderflow/activities)(/|$)',
      allowTypeImports: true,
      message: 'Workflow code imports activities with `import type` only, through proxyActivities.',
    },
    // libs/domain by path or as the workspace package @tenderflow/domain (its index loads the calendar too).
    ...[
      `^(\\.\\./)+libs/domain(?!/src/(${DETERMINISTIC_DOMAIN.join('|')})$)(/|$)`,
      `^@tenderflow/domain(?!/(${DETERMINISTIC_DOMAIN.join('|')})$)(/|$)`,
    ].map((regex) => ({
      regex,
      allowTypeImports: true,
      message: `From libs/domain, workflow code may import at run time only its deterministic modules (${DETERMINISTIC_DOMAIN.join(', ')}); calendar.ts loads a holiday library.`,
    })),
    ...[
      `^(\\.\\./)+libs/temporal-common(?!/src/(${WORKFLOW_TEMPORAL_COMMON.join('|')})$)(/|$)`,
      `^@tenderflow/temporal-common(?!/(${WORKFLOW_TEMPORAL_COMMON.join('|')})$)(/|$)`,
    ].map((regex) => ({
      regex,
      allowTypeImports: true,
      message: `From libs/temporal-common, workflow code may import at run time only the shared vocabulary (${WORKFLOW_TEMPORAL_COMMON.join(', ')}).`,
    })),
  ],
};

export default defineConfig([
  globalIgnores([
    'dist/',
    'coverage/',
    '.tools/',
    '.data/',
    'node_modules/',
    'console/src/api/schema.d.ts',
    'test/reliability/results/',
  ]),
  {
    files: ['**/*.{js,mjs,cjs,ts,tsx}'],
    extends: [js.configs.recommended],
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    languageOptions: { globals: { ...globals.node } },
  },
  {
    files: ['**/*.js'],
    languageOptions: { sourceType: 'commonjs' },
  },
  {
    files: ['**/*.{ts,tsx}'],
    extends: [tseslint.configs.recommended],
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': ['error', { considerDefaultExhaustiveForUnions: true }],
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: false }],
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' },
      ],
    },
  },
  {
    // The web console runs in the browser (its own tsconfig, found by the project service): browser globals, not Node's.
    files: ['console/src/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
  },
  {
    files: ['workflows/**/*.ts'],
    ignores: ['**/*.spec.ts', '**/*.test-support.ts'],
    rules: {
      'no-restricted-imports': 'off',
      '@typescript-eslint/no-restricted-imports': ['error', WORKFLOW_IMPORTS],
    },
  },
  {
    // Workflow code may import these libs/domain modules, so they keep to each other.
    files: DETERMINISTIC_DOMAIN.map((m) => `libs/domain/src/${m}.ts`),
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: `^(?!\\./(${DETERMINISTIC_DOMAIN.join('|')})$)`,
              message: `This libs/domain module is imported by workflow code: it may import only the other deterministic modules (${DETERMINISTIC_DOMAIN.join(', ')}).`,
            },
          ],
        },
      ],
    },
  },
]);
