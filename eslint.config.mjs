// ESLint flat config. The rule that matters most: src/core/ stays pure (no 'vscode', no AWS SDK),
// so the engine runs the same in the extension, the CLI and node:test.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['node_modules/', 'dist/', 'out/', '.vscode-test/', '.sandbox/', 'test-artifacts/', '**/*.d.ts'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      globals: {
        console: 'readonly', process: 'readonly', Buffer: 'readonly', URL: 'readonly',
        setTimeout: 'readonly', clearTimeout: 'readonly', setInterval: 'readonly', clearInterval: 'readonly',
        setImmediate: 'readonly', TextEncoder: 'readonly', TextDecoder: 'readonly', AbortController: 'readonly',
        AbortSignal: 'readonly', fetch: 'readonly', performance: 'readonly', structuredClone: 'readonly',
        queueMicrotask: 'readonly', URLSearchParams: 'readonly', globalThis: 'readonly',
        window: 'readonly', document: 'readonly', acquireVsCodeApi: 'readonly', crypto: 'readonly',
      },
    },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['**/*.cjs'],
    languageOptions: { sourceType: 'commonjs', globals: { module: 'writable', require: 'readonly', exports: 'writable', __dirname: 'readonly', __filename: 'readonly' } },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    files: ['src/core/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        paths: [{ name: 'vscode', message: 'src/core/ is pure: no vscode imports (put it in src/vscode/).' }],
        patterns: [{ group: ['@aws-sdk/*', '@smithy/*'], message: 'src/core/ is pure: no AWS SDK imports (put it in src/aws/).' }],
      }],
    },
  },
  {
    // The layers (README, Layout): editor -> pipeline -> adapters/engine, and CLI -> pipeline.
    // Nothing below the command line imports it.
    files: ['src/vscode/**/*.ts', 'src/pipeline/**/*.ts', 'src/aws/**/*.ts', 'src/webview/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [{ group: ['**/cli/*', '**/cli.ts'], message: 'Only the command line imports src/cli: move shared code to src/pipeline/ (or lower).' }],
      }],
    },
  },
  {
    files: ['src/pipeline/**/*.ts', 'src/aws/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        paths: [{ name: 'vscode', message: 'src/pipeline/ and src/aws/ serve the CLI too: no vscode imports (put it in src/vscode/).' }],
        patterns: [
          { group: ['**/cli/*', '**/cli.ts'], message: 'Only the command line imports src/cli: move shared code to src/pipeline/ (or lower).' },
          { group: ['**/vscode/*'], message: 'src/pipeline/ and src/aws/ must not import the editor (src/vscode/).' },
        ],
      }],
    },
  },
);
