// Where to go after signing in: only a path of our own origin. The callbackUrl parameter is
// attacker-controlled (a link in a phishing mail), and browsers read `/\evil.example`, `/\t/evil…`
// and `//evil.example` as other hosts — so it is resolved as a browser would, against our origin,
// and anything that lands elsewhere is dropped. Used by the sign-in form (client side).

export function safeCallbackPath(next: string | null | undefined, origin: string): string {
  if (!next) return '/';
  let url: URL;
  try {
    url = new URL(next, origin);
  } catch {
    return '/';
  }
  if (url.origin !== new URL(origin).origin) return '/';
  // Absolute: a path that resolves to `//host…` (from `/.//host`, `/a/..//host`) must not be
  // handed back as a path, where a browser would read it as another host.
  return url.href;
}
