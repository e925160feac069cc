// The worker's background loops (reset fan-out, notice mail): run `tick`, wait, again, until
// stopped. A failed tick (the database away) is logged and the next one tries again; stop() waits
// for the tick in progress (not for the wait after it), then closes what the loop owned.
export function pollingLoop(options: {
  name: string;
  tick: () => Promise<unknown>;
  pollMs?: number;
  log: (line: string) => void;
  /** Closed after the last tick (the loop's connection pool). */
  close?: () => Promise<unknown>;
}) {
  let running = false;
  let loop: Promise<void> | null = null;
  // The wait between ticks, cut short by stop(): a loop that ticks once a minute stops at once.
  let wake: (() => void) | null = null;
  const pause = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, ms);
      wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  return {
    /** Whether the loop should go on (a tick checks it between chunks, to stop promptly). */
    running: () => running,
    start() {
      if (running) return;
      running = true;
      loop = (async () => {
        while (running) {
          await options.tick().catch((error) => options.log(`${options.name}: ${(error as Error).message}`));
          if (running) await pause(options.pollMs ?? 500);
        }
      })();
    },
    async stop() {
      running = false;
      wake?.();
      await loop;
      await options.close?.().catch(() => {});
    },
  };
}
