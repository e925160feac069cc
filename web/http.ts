// What the answers web/main.ts gives without Next (the status pages, the direct API) share with
// Next's: the headers next.config.js puts on every response, and the writing of a web Response.
import type { ServerResponse } from 'node:http';

/** next.config.js's headers for every response. */
export const BASELINE = {
  'x-frame-options': 'DENY',
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'same-origin',
  'permissions-policy': 'camera=(), microphone=(), geolocation=()',
};

/** Writes `response` (its own headers over the baseline); a HEAD gets no body. */
export async function send(res: ServerResponse, response: Response, method = 'GET') {
  res.writeHead(response.status, { ...BASELINE, ...Object.fromEntries(response.headers) });
  res.end(method === 'HEAD' || !response.body ? undefined : Buffer.from(await response.arrayBuffer()));
}
