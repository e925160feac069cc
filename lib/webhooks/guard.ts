// The SSRF guard: a webhook is an HTTP request Firebreak makes to a URL an ADMIN typed, from inside
// the exchange's network. Unless WEBHOOK_ALLOW_PRIVATE_TARGETS is set, only public unicast
// addresses are reached — not loopback, link-local (169.254.169.254, the cloud's metadata service),
// private, carrier-grade NAT, unique-local, multicast or reserved ranges, nor an IPv4 address
// dressed as IPv6. A name is checked for every address it resolves to, when the endpoint is saved
// and again at each delivery, on the address the connection then uses (a name that resolved to a
// public address at creation and to 127.0.0.1 later is refused then: no DNS rebinding).
import 'server-only';
import { lookup } from 'node:dns/promises';
import type { LookupFunction } from 'node:net';
import ipaddr from 'ipaddr.js';
import { Invalid } from '@/lib/errors';

/** ipaddr.js's range names, as people say them. */
const RANGE_WORDS: Record<string, string> = {
  loopback: 'loopback',
  linkLocal: 'link-local',
  private: 'private',
  uniqueLocal: 'unique-local',
  carrierGradeNat: 'carrier-grade NAT',
  unspecified: 'unspecified',
  broadcast: 'broadcast',
  multicast: 'multicast',
  reserved: 'reserved',
};

/** Why an address may not be reached, or null when it may. */
export function forbiddenAddress(address: string): string | null {
  if (!ipaddr.isValid(address)) return 'not an IP address';
  let parsed = ipaddr.parse(address);
  if (parsed.kind() === 'ipv6' && (parsed as ipaddr.IPv6).isIPv4MappedAddress())
    parsed = (parsed as ipaddr.IPv6).toIPv4Address();
  const range = parsed.range();
  return range === 'unicast' ? null : `${address} is a ${RANGE_WORDS[range] ?? range} address`;
}

const hostOf = (url: URL) => url.hostname.replace(/^\[|\]$/g, '');

/** Refuses a URL whose host is, or resolves to, an address the guard forbids (unless allowed). */
export async function checkWebhookTarget(raw: string, allowPrivate: boolean) {
  if (allowPrivate) return;
  const host = hostOf(new URL(raw));
  const addresses = ipaddr.isValid(host)
    ? [host]
    : await lookup(host, { all: true, verbatim: true }).then(
        (found) => found.map((a) => a.address),
        () => {
          throw new Invalid(
            `${host} does not resolve.`,
            { fields: { url: 'The host does not resolve.' } },
            'webhook_target_refused',
          );
        },
      );
  for (const address of addresses) {
    const why = forbiddenAddress(address);
    if (why)
      throw new Invalid(
        `${host === address ? '' : `${host} resolves to `}${why}: webhooks reach public addresses only (WEBHOOK_ALLOW_PRIVATE_TARGETS).`,
        { fields: { url: 'Not a public address.' } },
        'webhook_target_refused',
      );
  }
}

/**
 * A `lookup` for node:http(s) that answers only with addresses the guard allows: the connection is
 * made to the address checked, not to a second resolution of the name.
 */
export const guardedLookup: LookupFunction = (hostname, options, callback) => {
  lookup(hostname, { all: true, verbatim: true, family: options.family as number | undefined }).then(
    (found) => {
      const refused = found.map((a) => forbiddenAddress(a.address)).find(Boolean);
      if (refused || found.length === 0) {
        callback(
          Object.assign(new Error(`refused: ${hostname}: ${refused ?? 'no address'}`), { code: 'EREFUSED' }),
          '',
          0,
        );
        return;
      }
      if (options.all) callback(null, found);
      else callback(null, found[0].address, found[0].family);
    },
    (error) => callback(error, '', 0),
  );
};
