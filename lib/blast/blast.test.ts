import { Readable } from 'node:stream';
import { text } from 'node:stream/consumers';
import { stringify } from 'csv-stringify/sync';
import { beforeAll, describe, expect, it } from 'vitest';
import { blastRadius, exportExposure, markExposedAffected, searchExposure } from '@/lib/blast';
import { importMailLog } from '@/lib/blast/import';
import { db } from '@/lib/db';
import { Forbidden } from '@/lib/errors';
import { countCohort } from '@/lib/resets';
import { seedCustomers } from '../../test/customers';
import { declaredIncident, staffActor } from '../../test/fixtures';

// A leaking tool's log, generated with what every message exposes known by construction: the test
// keeps each message's recipients in their canonical (lower-case) form as it writes the headers in
// the forms tools log (mixed case, display names with commas, encoded words, groups), and computes
// the expected figures from those sets with plain JavaScript — not with the code under test.
const CUSTOMERS = 10_000;
const canonical = (i: number) => `bl${i}@customers.example`;
/** As the tool wrote it: some in capitals, a third with a display name holding a comma, some encoded. */
function logged(i: number): string {
  const address = i % 5 === 0 ? `BL${i}@Customers.EXAMPLE` : canonical(i);
  if (i % 11 === 0) return `=?UTF-8?Q?J=C3=B6rg_${i}?= <${address}>`;
  if (i % 3 === 0) return `"Doe, Jane ${i}" <${address}>`;
  return address;
}

type Generated = {
  id: string;
  to: string;
  cc?: string;
  bcc?: string;
  visible: string[];
  all: string[];
  entries: number;
};

function generateLog() {
  const messages: Generated[] = [];
  const lines: (Record<string, unknown> | string)[] = [];
  const malformedLines: number[] = [];
  const add = (m: Generated) => {
    messages.push(m);
    lines.push({
      messageId: m.id,
      time: '2019-11-01T12:00:00Z',
      from: '"Exchange" <news@exchange.example>',
      to: m.to,
      cc: m.cc,
      bcc: m.bcc,
    });
  };
  const bad = (line: Record<string, unknown> | string) => {
    lines.push(line);
    malformedLines.push(lines.length);
  };
  // Twelve To batches of 1,000 addresses, each overlapping the next by 100 (those people are exposed
  // twice); addresses beyond CUSTOMERS are not in the directory.
  for (let b = 0; b < 12; b++) {
    const ids = Array.from({ length: 1000 }, (_, k) => b * 900 + k + 1);
    const cc = b % 4 === 0 ? ['Outside.Counsel@Law.example', `bl${b + 20_000}@customers.example`] : [];
    if (b === 11) cc.push('=1+2@Formula.example'); // a spreadsheet would run it as a formula
    const bcc = b % 3 === 0 ? ['archive@exchange.example', canonical(5_000 + b)] : [];
    // Batch 5 is written as a group; batch 7 repeats one address (in To, and again in Cc).
    const to = b === 5 ? `Leak group: ${ids.map(logged).join(', ')};` : ids.map(logged).join(', ');
    const ccList = b === 7 ? [...cc, logged(ids[0])] : cc;
    const visible = [...new Set([...ids.map(canonical), ...cc.map((a) => a.toLowerCase())])];
    const all = [...new Set([...visible, ...bcc])];
    add({
      id: `<batch-${b}@tool.example>`,
      to,
      cc: ccList.join(', ') || undefined,
      bcc: bcc.join(', ') || undefined,
      visible,
      all,
      entries: ids.length + ccList.length + bcc.length,
    });
    if (b === 2) bad('{"messageId": "broken", "to": ');
  }
  // One recipient in To, five in Bcc: the Bcc recipients saw the To address.
  const bccFive = Array.from({ length: 5 }, (_, k) => canonical(11_500 + k));
  add({
    id: 'single-to-with-bcc@tool.example',
    to: canonical(11_000),
    bcc: bccFive.join(','),
    visible: [canonical(11_000)],
    all: [canonical(11_000), ...bccFive],
    entries: 6,
  });
  // A newsletter done right: an empty group in To, everyone in Bcc. Nobody is exposed.
  const news = Array.from({ length: 50 }, (_, k) => canonical(k + 1));
  add({
    id: 'newsletter@tool.example',
    to: 'undisclosed-recipients:;',
    bcc: news.join(', '),
    visible: [],
    all: news,
    entries: 50,
  });
  // Transactional mail, one recipient each: nobody is exposed.
  for (let k = 1; k <= 30; k++)
    add({ id: `tx-${k}@tool.example`, to: logged(k), visible: [canonical(k)], all: [canonical(k)], entries: 1 });
  // The same message logged twice (a retry, its id without the brackets): counted once.
  lines.push({
    ...(lines.find((l) => typeof l !== 'string' && l.messageId === '<batch-3@tool.example>') as Record<
      string,
      unknown
    >),
    messageId: 'batch-3@tool.example',
  });
  // Malformed lines, named by number.
  bad({ to: canonical(1) });
  bad({ messageId: 'm-bad-address', to: `${canonical(1)}, not-an-address` });
  bad({ messageId: 'm-no-comma', to: `${canonical(1)} ${canonical(2)}` });
  bad({ messageId: 'm-nul', to: `${canonical(1)}\u0000` });
  bad({ messageId: 'm-nobody', to: '', cc: 'undisclosed-recipients:;' });
  return { messages, lines, malformedLines };
}

/** The expected figures, from the generated sets. */
function expected(messages: Generated[]) {
  const seen = new Map<string, Set<string>>();
  const count = new Map<string, number>();
  for (const m of messages) {
    if (m.all.length < 2) continue;
    for (const address of m.visible) {
      const others = seen.get(address) ?? new Set<string>();
      for (const other of m.all) if (other !== address) others.add(other);
      seen.set(address, others);
      count.set(address, (count.get(address) ?? 0) + 1);
    }
  }
  const exposure = new Map(
    [...seen].map(([address, others]) => [address, { seenBy: others.size, messages: count.get(address)! }]),
  );
  const isCustomer = (address: string) => {
    const match = /^bl(\d+)@customers\.example$/.exec(address);
    return match !== null && Number(match[1]) >= 1 && Number(match[1]) <= CUSTOMERS;
  };
  const customers = [...exposure.keys()].filter(isCustomer).length;
  // Buckets 1, 2–4, 5–9, 10–19, 20–49, 50–99, 100–199, …, written out rather than computed.
  const edges = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000];
  const histogram = new Map<number, number>();
  for (const { seenBy } of exposure.values()) {
    const from = edges.filter((edge) => edge <= seenBy).at(-1)!;
    histogram.set(from, (histogram.get(from) ?? 0) + 1);
  }
  return {
    exposure,
    figures: {
      messages: messages.length,
      recipients: messages.reduce((sum, m) => sum + m.entries, 0),
      exposingMessages: messages.filter((m) => m.visible.length >= 1 && m.all.length > 1).length,
      multiVisibleMessages: messages.filter((m) => m.visible.length > 1).length,
      exposedAddresses: exposure.size,
      exposedCustomers: customers,
      unmatchedAddresses: exposure.size - customers,
    },
    histogram: [...histogram].sort(([a], [b]) => a - b).map(([from, addresses]) => ({ from, addresses })),
  };
}

const jsonl = (lines: (Record<string, unknown> | string)[]) =>
  Readable.from([lines.map((line) => (typeof line === 'string' ? line : JSON.stringify(line))).join('\n')]);

let generated: ReturnType<typeof generateLog>;
let want: ReturnType<typeof expected>;
beforeAll(async () => {
  await seedCustomers(CUSTOMERS, { prefix: 'bl' });
  generated = generateLog();
  want = expected(generated.messages);
});

describe('blast radius', () => {
  it('a generated log gives exactly the figures computed from its known batches, and importing it again adds nothing', async () => {
    const { security, incident } = await declaredIncident();
    const result = await importMailLog(security, incident.reference, jsonl(generated.lines), 'jsonl', {
      name: 'tool.jsonl',
    });
    expect(result.messages).toBe(generated.messages.length);
    expect(result.duplicates).toBe(1);
    expect(result.malformed).toBe(generated.malformedLines.length);
    expect(result.malformedLines.map((m) => m.line)).toEqual(generated.malformedLines);
    expect(result.malformedLines.map((m) => m.message)).toEqual([
      'not valid JSON',
      'messageId: missing',
      'to: "not-an-address" is not an email address',
      'to: "bl1@customers.example" and "bl2@customers.example" look like two addresses without a comma',
      'to: Contains a NUL character, which text cannot hold.',
      'no recipients in to, cc or bcc',
    ]);
    expect(result.figures).toMatchObject({ ...want.figures, malformed: generated.malformedLines.length });
    expect(result.figures.histogram.map(({ from, addresses }) => ({ from, addresses }))).toEqual(want.histogram);
    const rows = await db.mailExposure.findMany({ where: { incidentId: incident.id } });
    expect(new Map(rows.map((r) => [r.address, { seenBy: r.seenBy, messages: r.messages }]))).toEqual(want.exposure);
    // Spot checks of the rules, beside the whole: the overlap is exposed twice; a Bcc recipient is
    // not exposed; the To of a message with Bcc recipients is.
    const row = (address: string) => rows.find((r) => r.address === address);
    expect(row(canonical(901))).toMatchObject({ messages: 2, seenBy: want.exposure.get(canonical(901))!.seenBy });
    expect(row(canonical(901))!.seenBy).toBeGreaterThan(1000); // two batches' people, not one's
    expect(row('archive@exchange.example')).toBeUndefined();
    expect(row(canonical(11_000))).toMatchObject({ seenBy: 5, messages: 1 });
    expect(row(canonical(11_501))).toBeUndefined();

    const again = await importMailLog(security, incident.reference, jsonl(generated.lines), 'jsonl', {
      name: 'tool.jsonl',
    });
    expect(again).toMatchObject({ messages: 0, duplicates: generated.messages.length + 1, recipients: 0 });
    // Nothing added: the same figures, the same version (a confirmation in progress stays valid).
    expect(again.figures).toMatchObject({ ...want.figures, version: result.figures.version });
    expect(await db.mailLogMessage.count({ where: { incidentId: incident.id } })).toBe(generated.messages.length);
    const timeline = await db.timelineEntry.findMany({
      where: { incidentId: incident.id, action: 'incident.mail_log_imported' },
    });
    expect(timeline).toHaveLength(2);
  });

  it('reads the same log as CSV, display names with commas and all', async () => {
    const { security, incident } = await declaredIncident();
    const records = generated.lines.filter(
      (line): line is Record<string, unknown> =>
        typeof line !== 'string' && typeof line.messageId === 'string' && !String(line.to ?? '').includes('\u0000'),
    );
    const csv = stringify(
      records.map((r) => [r.messageId, r.time ?? '', r.from ?? '', r.to ?? '', r.cc ?? '', r.bcc ?? '']),
      {
        header: true,
        columns: ['Message-ID', 'Date', 'From', 'To', 'Cc', 'Bcc'],
      },
    );
    // By its reference in lower case, as every other entry point takes it.
    const result = await importMailLog(security, incident.reference.toLowerCase(), Readable.from([csv]), 'csv');
    expect(result.figures).toMatchObject(want.figures);
    // Line numbers count the header: the records' malformed ones are the last three of the file.
    const last = records.length + 1;
    expect(result.malformedLines).toEqual([
      { line: last - 2, message: 'to: "not-an-address" is not an email address' },
      {
        line: last - 1,
        message: 'to: "bl1@customers.example" and "bl2@customers.example" look like two addresses without a comma',
      },
      { line: last, message: 'no recipients in to, cc or bcc' },
    ]);
  });

  it('answers whether an address was exposed and to whom, and exports the exposed set', async () => {
    const { security, incident } = await declaredIncident();
    await importMailLog(security, incident.id, jsonl(generated.lines), 'jsonl');
    const executive = await staffActor('EXECUTIVE');
    // In two batches (the overlap of batch 0 and 1), asked for in another case, with a display name.
    const twice = await searchExposure(executive, incident.reference, '"Someone" <BL950@customers.EXAMPLE>');
    expect(twice).toMatchObject({
      address: canonical(950),
      exposed: true,
      customer: { externalId: 'bl950' },
      messageCount: 2,
    });
    if (!twice.exposed) throw new Error('exposed');
    expect(twice.seenBy).toBe(want.exposure.get(canonical(950))!.seenBy);
    expect(twice.messages.map((m) => m.messageId)).toEqual(['batch-0@tool.example', 'batch-1@tool.example']);
    expect(twice.seenBySample).toHaveLength(100);
    expect(twice.seenBySample).not.toContain(canonical(950));
    expect(twice.seenBySample).toEqual([...twice.seenBySample].sort());
    // Only in Bcc, or alone in To: not exposed.
    expect(await searchExposure(executive, incident.id, 'archive@exchange.example')).toEqual({
      address: 'archive@exchange.example',
      exposed: false,
    });
    expect(await searchExposure(executive, incident.id, canonical(11_501))).toMatchObject({ exposed: false });
    await expect(searchExposure(executive, incident.id, 'nobody')).rejects.toMatchObject({ status: 400 });

    const audited = await db.auditEvent.count({
      where: { action: 'incident.exposure_exported', targetId: incident.id },
    });
    const { stream } = await exportExposure(executive, incident.reference);
    expect(
      await db.auditEvent.count({
        where: {
          action: 'incident.exposure_exported',
          targetId: incident.id,
          actorLabel: { contains: executive.email },
        },
      }),
    ).toBe(audited + 1);
    const csv = (await text(stream)).trim().split('\n');
    expect(csv[0]).toBe('address,externalId,messages,seenBy');
    expect(csv).toHaveLength(want.figures.exposedAddresses + 1);
    const top = Math.max(...[...want.exposure.values()].map((e) => e.seenBy));
    expect(Number(csv[1].split(',')[3])).toBe(top);
    expect(csv).toContain(`${canonical(950)},bl950,2,${want.exposure.get(canonical(950))!.seenBy}`);
    expect(csv).toContain(
      `outside.counsel@law.example,,${want.exposure.get('outside.counsel@law.example')!.messages},${want.exposure.get('outside.counsel@law.example')!.seenBy}`,
    );
  });

  it('marks exactly the exposed customers affected, as counted when confirmed; an AFFECTED reset targets them', async () => {
    const { security, incident } = await declaredIncident();
    const first = await importMailLog(security, incident.id, jsonl(generated.lines.slice(0, 5)), 'jsonl');
    const second = await importMailLog(security, incident.id, jsonl(generated.lines), 'jsonl');
    expect(second.figures.version).toBe(first.figures.version + 1);
    // Confirmed against the first figures: refused, naming the new count, nothing marked.
    await expect(markExposedAffected(security, incident.id, { version: first.figures.version })).rejects.toMatchObject({
      code: 'blast_radius_changed',
      message: expect.stringContaining(want.figures.exposedCustomers.toLocaleString('en-US')),
    });
    expect(await db.incidentAffectedCustomer.count({ where: { incidentId: incident.id } })).toBe(0);
    expect(await markExposedAffected(security, incident.id, { version: second.figures.version })).toEqual({
      exposedCustomers: want.figures.exposedCustomers,
      added: want.figures.exposedCustomers,
      affected: want.figures.exposedCustomers,
    });
    const cohort = await db.$transaction((tx) =>
      countCohort(tx, { incidentId: incident.id, scope: 'AFFECTED', onlyWithout2fa: false, onlyWithBalance: false }),
    );
    expect(cohort).toBe(want.figures.exposedCustomers);
    expect((await blastRadius(security, incident.id)).figures?.markedVersion).toBe(second.figures.version);
  });

  it('only SECURITY and ADMIN import and mark; every role reads the figures', async () => {
    const { security, incident } = await declaredIncident();
    await importMailLog(security, incident.id, jsonl(generated.lines.slice(0, 3)), 'jsonl');
    const { figures } = await blastRadius(security, incident.id);
    for (const role of ['COMMS', 'EXECUTIVE'] as const) {
      const actor = await staffActor(role);
      await expect(importMailLog(actor, incident.id, jsonl(generated.lines), 'jsonl')).rejects.toThrow(Forbidden);
      await expect(markExposedAffected(actor, incident.id, { version: figures!.version })).rejects.toThrow(Forbidden);
      expect((await blastRadius(actor, incident.id)).figures?.exposedAddresses).toBe(figures!.exposedAddresses);
    }
    const admin = await staffActor('ADMIN');
    await expect(markExposedAffected(admin, incident.id, { version: figures!.version })).resolves.toMatchObject({
      added: expect.any(Number),
    });
    expect(await db.mailLogMessage.count({ where: { incidentId: incident.id } })).toBe(3);
  });

  it('reads a byte-order mark, CRLF line ends and a last line without its newline as any other line', async () => {
    const { security, incident } = await declaredIncident();
    const json = `\uFEFF${JSON.stringify({ messageId: 'bom-1', to: 'a@bom.example, b@bom.example' })}\r\n${JSON.stringify({ messageId: 'bom-2', to: 'c@bom.example', bcc: 'd@bom.example' })}`;
    const fromJson = await importMailLog(security, incident.id, Readable.from([Buffer.from(json)]), 'jsonl');
    expect(fromJson).toMatchObject({ lines: 2, messages: 2, malformed: 0 });
    const csv = '\uFEFFMessage-ID,To,Bcc\r\nbom-3,"e@bom.example, f@bom.example",\r\nbom-4,g@bom.example,h@bom.example';
    const fromCsv = await importMailLog(security, incident.id, Readable.from([Buffer.from(csv)]), 'csv');
    expect(fromCsv).toMatchObject({ lines: 2, messages: 2, malformed: 0 });
    const rows = await db.mailExposure.findMany({ where: { incidentId: incident.id }, orderBy: { address: 'asc' } });
    expect(rows.map((r) => [r.address, r.seenBy])).toEqual([
      ['a@bom.example', 1],
      ['b@bom.example', 1],
      ['c@bom.example', 1],
      ['e@bom.example', 1],
      ['f@bom.example', 1],
      ['g@bom.example', 1],
    ]);
  });

  it('names what it cannot take: a reused message id with other recipients, a bad time, two columns for one field', async () => {
    const { security, incident } = await declaredIncident();
    const first = await importMailLog(
      security,
      incident.id,
      jsonl([
        { messageId: 'reused', to: 'a@reuse.example, b@reuse.example' },
        { messageId: 'same', to: 'c@reuse.example', time: 'Fri, 01 Nov 2019 12:00:00 +0100' },
        { messageId: 'reused', to: 'a@reuse.example, leak@reuse.example' },
        { messageId: 'reused', to: 'B@reuse.example, a@reuse.example' }, // the same people: a plain repeat
        { messageId: 'zero', to: 'd@reuse.example', time: '0000-01-01T00:00:00Z' },
        { messageId: 'local', to: 'd@reuse.example', time: '2024-01-02 03:04' },
        { messageId: 'two', to: 'e@reuse.example', To: 'f@reuse.example' },
        { messageId: 2 ** 60, to: 'g@reuse.example' },
      ]),
      'jsonl',
      { name: 'first.jsonl' },
    );
    expect(first).toMatchObject({ messages: 2, duplicates: 1, malformed: 5 });
    expect(first.malformedLines).toEqual([
      {
        line: 3,
        message:
          'messageId reused was already imported (line 1 of first.jsonl) with other recipients: a reused id; this line is not imported',
      },
      {
        line: 5,
        message: expect.stringContaining('time: "0000-01-01T00:00:00Z" is not a date and time with its offset'),
      },
      { line: 6, message: expect.stringContaining('time: "2024-01-02 03:04" is not a date') },
      { line: 7, message: 'two keys give the to (one of them To)' },
      { line: 8, message: 'messageId: a number this large loses digits; give it as text' },
    ]);
    expect(
      (await db.mailLogMessage.findFirst({ where: { incidentId: incident.id, messageId: 'same' } }))?.sentAt,
    ).toEqual(new Date('2019-11-01T11:00:00Z'));
    // Against an earlier log, too.
    const second = await importMailLog(
      security,
      incident.id,
      jsonl([{ messageId: 'same', to: 'c@reuse.example, x@reuse.example' }]),
      'jsonl',
      {
        name: 'second.jsonl',
      },
    );
    expect(second).toMatchObject({ messages: 0, duplicates: 0, malformed: 1 });
    expect(second.malformedLines[0].message).toContain('(line 2 of first.jsonl) with other recipients');
    expect(second.figures.malformed).toBe(1); // the latest import's
    // A CSV whose header gives one field twice is refused whole, naming both columns.
    await expect(
      importMailLog(security, incident.id, Readable.from(['Message-ID,messageId,to\nm1,m2,a@x.example\n']), 'csv'),
    ).rejects.toMatchObject({
      status: 400,
      message: 'Line 1: columns Message-ID and messageId both give the messageId. Nothing was imported.',
    });
  });

  it('stops at a CSV whose structure breaks (an unclosed quote), naming the line, and imports nothing', async () => {
    const { security, incident } = await declaredIncident();
    const csv = 'messageId,to\nm1,a@q.example\nm2,"b@q.example, c@q.example\nm3,d@q.example\nm4,e@q.example\n';
    await expect(importMailLog(security, incident.id, Readable.from([csv]), 'csv')).rejects.toMatchObject({
      status: 400,
      message: expect.stringMatching(
        /^Line 5: CSV: Quote Not Closed.*The CSV's structure is broken there, so nothing was imported/,
      ),
    });
    expect(await db.mailLog.count({ where: { incidentId: incident.id } })).toBe(0);
  });

  it('an upload that breaks off ends the import with nothing kept, and the next import is not blocked', async () => {
    const { security, incident } = await declaredIncident();
    for (const format of ['csv', 'jsonl'] as const) {
      const source = new Readable({ read() {} });
      source.push(
        format === 'csv'
          ? 'messageId,to\nm1,"a@x.example, b@x.example"\n'
          : '{"messageId":"m1","to":"a@x.example, b@x.example"}\n',
      );
      setTimeout(() => source.destroy(new Error('the client went away')), 100);
      await expect(importMailLog(security, incident.id, source, format)).rejects.toThrow('the client went away');
    }
    const next = await importMailLog(
      security,
      incident.id,
      jsonl([{ messageId: 'after', to: 'a@x.example, b@x.example' }]),
      'jsonl',
    );
    expect(next).toMatchObject({ messages: 1 });
    expect(await db.mailLog.count({ where: { incidentId: incident.id } })).toBe(1);
  }, 15_000);

  it('a batch of 20,000 sent twice costs one union, not 20,000 (the figures exact and quick)', async () => {
    const { security, incident } = await declaredIncident();
    const people = Array.from({ length: 20_000 }, (_, i) => `w${i}@wide.example`).join(', ');
    const result = await importMailLog(
      security,
      incident.id,
      jsonl([
        { messageId: 'wide-1', to: people },
        { messageId: 'wide-2', to: people, bcc: 'watcher@wide.example' },
      ]),
      'jsonl',
    );
    expect(result.figures).toMatchObject({ exposedAddresses: 20_000, exposingMessages: 2 });
    const rows = await db.mailExposure.findMany({
      where: { incidentId: incident.id },
      select: { seenBy: true, messages: true },
    });
    expect(new Set(rows.map((r) => `${r.messages}/${r.seenBy}`))).toEqual(new Set(['2/20000'])); // 19,999 others and the watcher
    // Pairwise this was 20,000 × 40,000 rows, minutes past the test's timeout; per set of messages, 40,000.
  });

  it('one message to 40,000 people, bytes that are not UTF-8, Unix times, a column called constructor', async () => {
    const { security, incident } = await declaredIncident();
    const everyone = Array.from({ length: 40_000 }, (_, i) => `p${i}@one.example`).join(', ');
    const bytes = Buffer.concat([
      Buffer.from(`${JSON.stringify({ messageId: 'everyone', to: everyone, time: 1572609600 })}\n`),
      Buffer.from('{"messageId":"bad-bytes","to":"a'),
      Buffer.from([0xff]),
      Buffer.from('@x.example, a'),
      Buffer.from([0xfe]),
      Buffer.from('@x.example"}\n'),
    ]);
    const result = await importMailLog(security, incident.id, Readable.from([bytes]), 'jsonl');
    expect(result).toMatchObject({ messages: 1, malformed: 1 });
    expect(result.malformedLines).toEqual([{ line: 2, message: 'contains bytes that are not valid UTF-8' }]);
    expect(result.figures).toMatchObject({ exposedAddresses: 40_000, exposingMessages: 1 });
    expect(await db.mailExposure.count({ where: { incidentId: incident.id, seenBy: 39_999 } })).toBe(40_000);
    const stored = await db.mailLogMessage.findFirst({ where: { incidentId: incident.id, messageId: 'everyone' } });
    expect(stored?.sentAt).toEqual(new Date('2019-11-01T12:00:00Z'));
    // A column named like a property every object has is just an unused column.
    const csv = await importMailLog(
      security,
      incident.id,
      Readable.from(['messageId,constructor,to\nc1,x,"q@x.example, r@x.example"\n']),
      'csv',
    );
    expect(csv).toMatchObject({ messages: 1, malformed: 0 });
  });

  it('refuses a log with no readable message, a closed incident, and keeps nothing of a refused import', async () => {
    const { security, incident } = await declaredIncident();
    await expect(
      importMailLog(security, incident.id, jsonl(['not json', '{"to": "a@b.example"}']), 'jsonl'),
    ).rejects.toMatchObject({
      code: 'empty_import',
      message: expect.stringContaining('Line 1: not valid JSON'),
    });
    expect(await db.mailLog.count({ where: { incidentId: incident.id } })).toBe(0);
    await db.incident.update({ where: { id: incident.id }, data: { status: 'CLOSED' } });
    await expect(
      importMailLog(security, incident.id, jsonl(generated.lines.slice(0, 1)), 'jsonl'),
    ).rejects.toMatchObject({
      code: 'incident_closed',
    });
  });
});
