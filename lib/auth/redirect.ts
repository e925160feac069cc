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
  // A path that resolves to `//…` (from `/.//host`, `/a/..//host`) would be read by a browser as
  // another host if handed back as a path: such a link goes to the Status page instead. What is
  // returned is the parsed path (no backslashes, tabs or dot segments left), so it is ours.
  if (url.pathname.startsWith('//')) return '/';
  return `${url.pathname}${url.search}${url.hash}`;
}
