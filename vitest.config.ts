import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const root = fileURLToPath(new URL('.', import.meta.url));

export default defineConfig({
  resolve: {
    alias: [
      { find: /^@\//, replacement: `${root}/` },
      // Next resolves `server-only` to a no-op in server code; so do the tests.
      { find: /^server-only$/, replacement: `${root}/node_modules/server-only/empty.js` },
    ],
  },
  test: {
    // FIREBREAK_CANARY=unit runs only the deliberately failing canary (scripts/test-canary.ts).
    include:
      process.env.FIREBREAK_CANARY === 'unit'
        ? ['test/canary/unit.canary.ts']
        : ['{lib,worker,cli,scripts,app}/**/*.test.ts'],
    globalSetup: ['test/global-setup.ts'],
    setupFiles: ['test/database.ts'],
    pool: 'forks',
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
