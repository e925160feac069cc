// A reference receiver, as an exchange would write one: it verifies each request with the
// `standardwebhooks` package (not Firebreak's code), refuses a bad or stale signature with 401,
// and processes each webhook-id once (a repeat is acknowledged and ignored). It can be told to
// answer 500 for a while, as a receiver that is down.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Webhook } from 'standardwebhooks';

export type Received = { id: string; type: string; data: Record<string, unknown> };

export async function startReceiver(secret: () => string) {
  const state = {
    /** Each webhook-id processed, once, in the order first accepted. */
    accepted: [] as Received[],
    /** Requests refused because the signature did not verify. */
    refused: 0,
    /** Repeats of an id already processed (a retry whose answer was lost, a replay). */
    repeats: 0,
    /** Requests answered 500 (while `failing`), and the webhook-id of each, in order. */
    failed: 0,
    failedIds: [] as string[],
    failing: false,
    /** The newest request as it arrived, to replay or tamper with. */
    last: null as { body: string; headers: Record<string, string> } | null,
  };
  const seen = new Set<string>();
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      if (state.failing) {
        state.failed++;
        state.failedIds.push(request.headers['webhook-id'] as string);
        response.writeHead(500).end();
        return;
      }
      const body = Buffer.concat(chunks).toString('utf8');
      state.last = { body, headers: request.headers as Record<string, string> };
      let event: { type: string; data: Record<string, unknown> };
      try {
        event = new Webhook(secret()).verify(body, request.headers as Record<string, string>) as typeof event;
      } catch {
        state.refused++;
        response.writeHead(401).end();
        return;
      }
      const id = request.headers['webhook-id'] as string;
      if (seen.has(id)) state.repeats++;
      else {
        seen.add(id);
        state.accepted.push({ id, type: event.type, data: event.data });
      }
      response.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/firebreak`;
  return { url, state, close: () => new Promise((resolve) => server.close(resolve)) };
}
