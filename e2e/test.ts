// The specs' `test`: Playwright's, with every browser context a test opened itself closed when it
// ends. A journey opens one context per person; one left open keeps its pages alive for the rest
// of the run, and a page that refreshes itself (a reset's progress, the war room) keeps polling
// the server: by the last files a full run was twice as slow as each file alone.
import { test as base } from '@playwright/test';

export * from '@playwright/test';

export const test = base.extend<{ closeOwnContexts: undefined }>({
  closeOwnContexts: [
    async ({ browser }, use) => {
      const before = new Set(browser.contexts());
      await use(undefined);
      // Playwright's own `context` (and `page`) are closed before this runs: what is left is the test's.
      await Promise.all(
        browser
          .contexts()
          .filter((context) => !before.has(context))
          .map((context) => context.close().catch(() => {})),
      );
    },
    { auto: true },
  ],
});
