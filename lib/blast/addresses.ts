// Recipient headers as a mail tool logged them ("Name, Jr." <A@Example.com>, groups, lists,
// encoded words) to the normalised addresses the blast radius counts. nodemailer's addressparser
// is the parser; a header that is a bare list (a@b, c@d — what bulk tools usually log) takes a
// shortcut with the same result, checked against the parser in addresses.test.ts.
//
// Folded: display names and comments, angle brackets, surrounding whitespace, group syntax, the
// case of the whole address (as the customer directory stores it: one customer per lower-cased
// address), Unicode to NFC. Not folded: dots and +tags in local parts (one provider's rule, not
// mail's), punycode against Unicode domains.
import addressparser from 'nodemailer/lib/addressparser';

export type ParsedList = { addresses: string[] } | { error: string };

/** At most this long (RFC 5321's path limit, less the brackets). */
export const MAX_ADDRESS = 254;

/** A normalised address: something@somewhere, with nothing a header or an array literal would split on. */
const ADDRESS = /^[^\s\p{Cc}@",;:<>()[\]\\{}]+@[^\s\p{Cc}@",;:<>()[\]\\{}]+$/u;
/** A header the shortcut may take: no quoting, brackets, groups or comments. */
const SPECIAL = /["()<>:[\]\\]/;
const WHITESPACE = /\s/;
/** Something@something inside a display name. */
const NAME_ADDRESS = /[^\s<>"'(),;:]+@[^\s<>"'(),;:]+/g;
const NON_ASCII = /\P{ASCII}/u;

export function normaliseAddress(raw: string): string {
  const address = raw.trim().toLowerCase();
  return NON_ASCII.test(address) ? address.normalize('NFC') : address;
}

function checked(address: string, token: string): string | { error: string } {
  if (address.length > MAX_ADDRESS) return { error: `"${clip(token)}" is longer than ${MAX_ADDRESS} characters` };
  if (!ADDRESS.test(address)) return { error: `"${clip(token)}" is not an email address` };
  return address;
}

const clip = (text: string) => (text.length > 60 ? `${text.slice(0, 57)}…` : text);

/** The addresses of one header value (To, Cc or Bcc), normalised, in order, repeats kept. */
export function parseAddressList(header: string): ParsedList {
  const addresses: string[] = [];
  if (!SPECIAL.test(header)) {
    const tokens = header
      .split(/[,;]/)
      .map((part) => part.trim())
      .filter((token) => token !== '');
    if (!tokens.some((token) => WHITESPACE.test(token))) {
      for (const token of tokens) {
        const address = checked(normaliseAddress(token), token);
        if (typeof address !== 'string') return address;
        addresses.push(address);
      }
      return { addresses };
    }
  }
  for (const entry of addressparser(header, { flatten: true })) {
    const name = entry.name ?? '';
    if (!entry.address) return { error: `"${clip(name)}" is not an email address` };
    // "a@b c@d" parses as a@b with the name c@d, and "A <a@b> B <c@d>" as a@b with the name
    // "A B c@d": two addresses missing their comma, one of them lost. A display name may hold the
    // address itself ("bob@x" <bob@x>), never another one.
    const own = normaliseAddress(entry.address);
    const other = name.match(NAME_ADDRESS)?.find((token) => normaliseAddress(token) !== own);
    if (other)
      return { error: `"${clip(entry.address)}" and "${clip(other)}" look like two addresses without a comma` };
    const address = checked(own, entry.address);
    if (typeof address !== 'string') return address;
    addresses.push(address);
  }
  return { addresses };
}
