import addressparser from 'nodemailer/lib/addressparser';
import { describe, expect, it } from 'vitest';
import { normaliseAddress, parseAddressList } from './addresses';

/** What the parser alone makes of a header, by the same rules: the reference for the shortcut. */
function byParser(header: string) {
  const addresses: string[] = [];
  for (const entry of addressparser(header, { flatten: true })) {
    if (!entry.address) return 'error';
    if (
      (entry.name.match(/[^\s<>"'(),;:]+@[^\s<>"'(),;:]+/g) ?? []).some(
        (t) => normaliseAddress(t) !== normaliseAddress(entry.address),
      )
    )
      return 'error';
    const address = normaliseAddress(entry.address);
    if (!/^[^\s\p{Cc}@",;:<>()[\]\\{}]+@[^\s\p{Cc}@",;:<>()[\]\\{}]+$/u.test(address)) return 'error';
    addresses.push(address);
  }
  return addresses;
}

describe('recipient headers', () => {
  it('reads the forms tools log: display names with commas, groups, comments, encoded words, lists', () => {
    expect(parseAddressList('"Doe, Jane" <Jane.Doe@Example.COM>, bob@example.com')).toEqual({
      addresses: ['jane.doe@example.com', 'bob@example.com'],
    });
    expect(parseAddressList('Leak: a@x.example, "B, C" <B@X.example>;, d@x.example')).toEqual({
      addresses: ['a@x.example', 'b@x.example', 'd@x.example'],
    });
    expect(parseAddressList('undisclosed-recipients:;')).toEqual({ addresses: [] });
    expect(parseAddressList('=?UTF-8?Q?J=C3=B6rg?= <jorg@x.example> (Sales)')).toEqual({
      addresses: ['jorg@x.example'],
    });
    expect(parseAddressList(' A@X.example ; b@x.example,, ')).toEqual({ addresses: ['a@x.example', 'b@x.example'] });
    expect(parseAddressList('"bob@x.example" <bob@x.example>')).toEqual({ addresses: ['bob@x.example'] });
    expect(parseAddressList('Ünïcode@Bücher.example')).toEqual({ addresses: ['ünïcode@bücher.example'] });
    // Not folded: +tags and dots are the mailbox's own.
    expect(parseAddressList('a.b+tag@gmail.com')).toEqual({ addresses: ['a.b+tag@gmail.com'] });
  });

  it('names what it cannot read instead of dropping it', () => {
    expect(parseAddressList('a@x.example, nobody')).toEqual({ error: '"nobody" is not an email address' });
    expect(parseAddressList('a@x.example b@x.example')).toEqual({
      error: '"a@x.example" and "b@x.example" look like two addresses without a comma',
    });
    // With brackets too: the parser would keep one address and make the next one part of a name.
    for (const [header, first, second] of [
      ['Alice <a@x.example> Bob <b@x.example>', 'a@x.example', 'b@x.example'],
      ['<a@x.example> <b@x.example>', 'a@x.example', 'b@x.example'],
      ['a@x.example <b@x.example>', 'b@x.example', 'a@x.example'],
      ['Alice <a@x.example>, Bob <d@x.example> Carol <g@x.example>', 'd@x.example', 'g@x.example'],
    ])
      expect(parseAddressList(header), header).toEqual({
        error: `"${first}" and "${second}" look like two addresses without a comma`,
      });
    // The address itself in its display name is fine.
    expect(parseAddressList(`"Bob (bob@x.example)" <Bob@X.example>, 'c@x.example' <c@x.example>`)).toEqual({
      addresses: ['bob@x.example', 'c@x.example'],
    });
    expect(parseAddressList('\u0001q@x.example')).toMatchObject({
      error: expect.stringContaining('is not an email address'),
    });
    expect(parseAddressList('"John Doe"@x.example')).toMatchObject({
      error: expect.stringContaining('is not an email address'),
    });
    expect(parseAddressList(`${'a'.repeat(250)}@x.example`)).toMatchObject({
      error: expect.stringContaining('longer than 254'),
    });
    expect(parseAddressList('x@')).toMatchObject({ error: expect.stringContaining('is not an email address') });
  });

  it('the shortcut for bare lists reads what the parser reads, on 20,000 random headers', () => {
    // Random headers over an alphabet without the parser's special characters, where the shortcut may answer.
    let seed = 7;
    const random = () => {
      seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    const alphabet = 'abcXYZ09.+-_@@@,,;  \t';
    let agreed = 0;
    for (let i = 0; i < 20_000; i++) {
      const characters = (n: number) =>
        Array.from({ length: n }, () => alphabet[Math.floor(random() * alphabet.length)]).join('');
      // Half free-form noise, half lists of address-like tokens with noise in some.
      const header =
        i % 2
          ? characters(1 + Math.floor(random() * 40))
          : Array.from({ length: 1 + Math.floor(random() * 5) }, () =>
              random() < 0.8 ? `u${characters(2)}@Ex${Math.floor(random() * 9)}.example` : characters(4),
            ).join(random() < 0.5 ? ', ' : ';');
      const ours = parseAddressList(header);
      const reference = byParser(header);
      // Where it answers, the same addresses; it may refuse what the parser reads loosely (a bare
      // word before a list taken as a display name), never the other way round.
      if ('addresses' in ours) {
        expect(reference, header).toEqual(ours.addresses);
        if (ours.addresses.length > 0) agreed++;
      }
    }
    expect(agreed).toBeGreaterThan(1000);
  });
});
