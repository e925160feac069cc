// The checkpoint signing key on disk (`firebreak audit keygen`, AUDIT_SIGNING_KEY_FILE): kept apart
// from lib/audit/checkpoint.ts so that the web app, which verifies but never signs, bundles no
// file access. Used by the worker, the CLI and the launcher.
import { createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { keyIdOf } from './checkpoint';

function assertEd25519(key: KeyObject, file: string) {
  if (key.asymmetricKeyType !== 'ed25519')
    throw new Error(`${file} is not an Ed25519 key (found ${key.asymmetricKeyType})`);
  return key;
}

/** The signing key: a PKCS#8 PEM file (`firebreak audit keygen`). */
export function loadSigningKey(file: string): KeyObject {
  return assertEd25519(createPrivateKey(readFileSync(file)), file);
}

/** A key to verify with: a public key PEM, or the private key file (its public half is used). */
export function loadVerifyKey(file: string): KeyObject {
  const text = readFileSync(file, 'utf8');
  return assertEd25519(
    text.includes('PRIVATE KEY') ? createPublicKey(createPrivateKey(text)) : createPublicKey(text),
    file,
  );
}

/** Writes a new key pair: the private key (mode 0600) and `<file>.pub` for verifiers. */
export function generateSigningKey(file: string) {
  for (const path of [file, `${file}.pub`])
    if (existsSync(path))
      throw new Error(`${path} exists: refusing to replace a key (checkpoints made with it would no longer verify)`);
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  writeFileSync(file, privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600, flag: 'wx' });
  writeFileSync(`${file}.pub`, publicKey.export({ type: 'spki', format: 'pem' }), { mode: 0o644, flag: 'wx' });
  return { keyId: keyIdOf(publicKey), publicKeyFile: `${file}.pub` };
}
