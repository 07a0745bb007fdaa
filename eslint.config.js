// Lint: mainly the architecture rule — the domain and projection libraries stay pure
// (no framework, no store client, no adapters, no edges).
const tseslint = require('typescript-eslint');

const FORBIDDEN_IN_CORE = {
  patterns: [
    { group: ['@nestjs/*', '@nestjs/**'], message: 'The domain and projections import no framework.' },
    { group: ['@eventstore/*', 'better-sqlite3', '@fastify/*', 'fastify', 'class-validator', 'class-transformer'], message: 'The domain and projections import no store client or edge library.' },
    { group: ['**/event-store/src/*-event-store', '**/event-store/src/sqlite-*', '**/apps/**', '**/application/src/*'], message: 'The domain and projections do not reach into adapters, the application layer or the apps.' },
  ],
};

module.exports = tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'bench/results/**', 'coverage/**', '**/*.js'] },
  {
    files: ['**/*.ts'],
    languageOptions: { parser: tseslint.parser },
    plugins: { '@typescript-eslint': tseslint.plugin },
    rules: {},
  },
  {
    files: ['libs/domain/**/*.ts', 'libs/projections/**/*.ts'],
    ignores: ['**/*.spec.ts'],
    rules: { 'no-restricted-imports': ['error', FORBIDDEN_IN_CORE] },
  },
);
