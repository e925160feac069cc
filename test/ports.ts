// A loopback port nothing listens on right now, chosen by the kernel. Fixed ports in the
// ephemeral range (32768–60999 on Linux) can be taken by any outgoing connection's local end.
import { createServer } from 'node:net';

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}
