// Lint: typescript-eslint's recommended rules, plus the Temporal workflow-determinism rule that keeps
// Node builtins and side-effecting modules out of src/workflows.
const tseslint = require('typescript-eslint');
const { builtinModules } = require('node:module');

const nodeBuiltins = [...builtinModules, ...builtinModules.map((m) => `node:${m}`)];

module.exports = tseslint.config(
  { ignores: ['node_modules/', '.tools/', '.data/', 'dist/', 'sdk/dist/', 'coverage/'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-require-imports': 'off',
    },
  },
  {
    files: ['src/workflows/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          paths: nodeBuiltins.map((name) => ({ name, message: 'Workflow code is deterministic: no Node builtins (use an activity).' })),
          patterns: [
            { allowTypeImports: true, group: ['pg', 'undici', 'sharp', 'fastify', '**/db/**', '**/media/**', '**/pinterest/**', '**/activities/**', '**/api/**', '**/config'], message: 'Workflow code does no I/O: call an activity instead.' },
          ],
        },
      ],
      'no-restricted-globals': ['error', { name: 'setTimeout', message: 'Use sleep() from @temporalio/workflow.' }, { name: 'setInterval', message: 'Use sleep() from @temporalio/workflow.' }, { name: 'fetch', message: 'Use an activity.' }, { name: 'process', message: 'Workflow code may not read the process.' }],
      'no-restricted-properties': ['error', { object: 'Math', property: 'random', message: 'Math.random is replaced by the sandbox; prefer uuid4() from @temporalio/workflow for ids.' }],
    },
  },
);
