// typescript-eslint's strict, type-aware rules over the whole tree; formatting is Prettier's.
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    ignores: [
      '.aws-sam/',
      '.local/',
      'coverage/',
      'node_modules/',
      '**/dist/',
      // Compiled from the request schemas by `npm run compile-validators`.
      'functions/*/request-validator.js',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.strictTypeChecked,
  ...tseslint.configs.stylisticTypeChecked,
  {
    languageOptions: {
      globals: globals.node,
      parserOptions: { projectService: { allowDefaultProject: ['*.js', '*.cjs', 'local/*/*.mjs', 'local/*/*/*.mjs'] } },
    },
  },
  {
    rules: {
      // Counts and sizes read naturally in messages.
      '@typescript-eslint/restrict-template-expressions': ['error', { allowNumber: true }],
    },
  },
  {
    // A test states what its fixture holds; `!` there is an assertion, not a guess.
    files: ['tests/**/*.ts'],
    rules: { '@typescript-eslint/no-non-null-assertion': 'off' },
  },
  {
    // The agent console runs in the browser, and ticket text is whatever a customer typed: it renders as text only.
    files: ['web/**/*.{ts,tsx}'],
    // Node's globals are unknown to its tsconfig (web/tsconfig.json: DOM types only), so type-checking refuses them.
    languageOptions: { globals: globals.browser },
    rules: {
      'no-restricted-syntax': [
        'error',
        {
          selector: "JSXAttribute[name.name='dangerouslySetInnerHTML']",
          message: 'ticket text renders as text',
        },
        {
          selector: 'AssignmentExpression[left.property.name=/^(innerHTML|outerHTML)$/]',
          message: 'ticket text renders as text',
        },
        {
          selector: "CallExpression[callee.property.name='insertAdjacentHTML']",
          message: 'ticket text renders as text',
        },
      ],
    },
  },
  {
    files: ['**/*.js', '**/*.cjs', '**/*.mjs'],
    ...tseslint.configs.disableTypeChecked,
  },
);
