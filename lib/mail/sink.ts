// The embedded SMTP sink: a loopback SMTP server (smtp-server) that accepts everything and
// records each message with its envelope exactly as the client sent it. `npm start` runs it
// when SMTP_URL is unset; the tests use it to check envelopes; the console lists what it holds.
// A message is recorded before the server answers 250, so "accepted" always means "recorded",
// which is what makes it a truthful delivery check for the dispatcher's crash recovery.

import { SMTPServer } from 'smtp-server';
import { createPgPool } from '@/lib/db/pg';

export type SunkMessage = {
  mailFrom: string;
  rcptTo: string[];
  messageId: string | null;
  headerTo: string | null;
  headerCc: string | null;
  headerBcc: string | null;
  subject: string | null;
  raw: string;
};

export type SinkStore = { save(message: SunkMessage): Promise<void>; close?(): Promise<void> };

/** Stores into the SinkMessage table of the given database. */
export function databaseStore(databaseUrl: string): SinkStore {
  // A dropped connection (e.g. PostgreSQL shutting down first) is not fatal: that message's 250 is not sent.
  const pool = createPgPool('smtp sink', { connectionString: databaseUrl, max: 4 });
  return {
    async save(m) {
      await pool.query(
        `INSERT INTO "SinkMessage" (id, "mailFrom", "rcptTo", "messageId", "headerTo", "headerCc", "headerBcc", subject, raw)
         VALUES (gen_random_uuid(), $1, $2, $3, $4, $5, $6, $7, $8)`,
        [m.mailFrom, m.rcptTo, m.messageId, m.headerTo, m.headerCc, m.headerBcc, m.subject, m.raw],
      );
    },
    close: () => pool.end(),
  };
}

/** Keeps messages in memory (benchmarks). */
export function memoryStore(): SinkStore & { messages: SunkMessage[] } {
  const messages: SunkMessage[] = [];
  return { messages, save: async (m) => void messages.push(m) };
}

/** The header block of a raw message, unfolded, as name → value (first occurrence). */
export function parseHeaders(raw: string): Map<string, string> {
  const end = raw.search(/\r?\n\r?\n/);
  const block = (end === -1 ? raw : raw.slice(0, end)).replace(/\r?\n[ \t]+/g, ' ');
  const headers = new Map<string, string>();
  for (const line of block.split(/\r?\n/)) {
    const colon = line.indexOf(':');
    if (colon > 0) {
      const name = line.slice(0, colon).trim().toLowerCase();
      if (!headers.has(name)) headers.set(name, line.slice(colon + 1).trim());
    }
  }
  return headers;
}

export type Sink = { port: number; stop(): Promise<void> };

export async function startSmtpSink(options: {
  port: number;
  host?: string;
  store: SinkStore;
  log?: (line: string) => void;
}): Promise<Sink> {
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    banner: 'Firebreak local sink',
    closeTimeout: 200,
    size: 25 * 1024 * 1024,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        const raw = Buffer.concat(chunks).toString('utf8');
        const headers = parseHeaders(raw);
        const mailFrom = session.envelope.mailFrom ? session.envelope.mailFrom.address : '';
        options.store
          .save({
            mailFrom,
            rcptTo: session.envelope.rcptTo.map((r) => r.address),
            messageId: headers.get('message-id') ?? null,
            headerTo: headers.get('to') ?? null,
            headerCc: headers.get('cc') ?? null,
            headerBcc: headers.get('bcc') ?? null,
            subject: headers.get('subject') ?? null,
            raw,
          })
          .then(
            () => callback(),
            (error: Error) =>
              callback(
                Object.assign(new Error(`451 sink could not store the message: ${error.message}`), {
                  responseCode: 451,
                }),
              ),
          );
      });
    },
  });
  server.on('error', (error) => options.log?.(`sink error: ${error.message}`));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host ?? '127.0.0.1', () => resolve());
  });
  const address = server.server.address();
  const port = typeof address === 'object' && address ? address.port : options.port;
  return {
    port,
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** The dispatcher's delivery check against a sink that stores into the database. */
export function sinkDeliveryCheck(databaseUrl: string) {
  const pool = createPgPool('delivery check', { connectionString: databaseUrl, max: 1 });
  return {
    check: async (messageId: string) => {
      const { rowCount } = await pool.query('SELECT 1 FROM "SinkMessage" WHERE "messageId" = $1 LIMIT 1', [messageId]);
      return rowCount ? ('delivered' as const) : ('not_delivered' as const);
    },
    close: () => pool.end(),
  };
}
