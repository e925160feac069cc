import { defineConfig } from '@playwright/test';
import { E2E_PORT } from './e2e/config';

// Browser tests against the production build (`next build`, then `next start` through the real
// launcher with its worker), in Debian's Chromium: Playwright cannot download browsers here.
export default defineConfig({
  // FIREBREAK_CANARY=browser runs only the deliberately failing canary (scripts/test-canary.ts).
  ...(process.env.FIREBREAK_CANARY === 'browser'
    ? { testDir: 'test/canary', testMatch: 'browser.canary.ts' }
    : { testDir: 'e2e' }),
  fullyParallel: false,
  workers: 1,
  retries: 0,
  forbidOnly: Boolean(process.env.CI),
  reporter: [['list']],
  // A journey signs in two to four people, each in a browser of their own: 15-30 s on 2 loaded
  // cores (CI). The limit catches a hang; waits inside a test keep expect's 10 s.
  timeout: 90_000,
  expect: { timeout: 10_000 },
  use: {
    baseURL: `http://localhost:${E2E_PORT}`,
    trace: 'retain-on-failure',
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    },
  },
  webServer: {
    command: 'node node_modules/tsx/dist/cli.mjs --tsconfig tsconfig.node.json e2e/server.ts',
    url: `http://localhost:${E2E_PORT}/api/v1/health`,
    reuseExistingServer: false,
    timeout: 180_000,
    stdout: 'ignore',
    stderr: 'pipe',
    gracefulShutdown: { signal: 'SIGTERM', timeout: 15_000 },
  },
});
