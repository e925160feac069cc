import { DomainError } from '@/lib/errors';
import { messageResponse } from '@/lib/status/pages';
import { tokenLooksValid, unsubscribe } from '@/lib/status/subscriptions';

export const dynamic = 'force-dynamic';

const tokenOf = (request: Request) => new URL(request.url).searchParams.get('token') ?? '';

/** The link at the foot of a notice mail: a button (a link scanner must not unsubscribe anyone). */
export async function GET(request: Request) {
  const token = tokenOf(request);
  if (!tokenLooksValid(token, 'unsubscribe'))
    return messageResponse(400, 'This link does not work', <p>It is not a valid unsubscribe link.</p>);
  return messageResponse(
    200,
    'Unsubscribe',
    <form method="post" action={`/status/unsubscribe?token=${encodeURIComponent(token)}`}>
      <p>Stop sending me incident notices by email.</p>
      <button type="submit">Unsubscribe</button>
    </form>,
  );
}

/** One-click unsubscribe (RFC 8058: the mail client POSTs List-Unsubscribe=One-Click here), or the button. */
export async function POST(request: Request) {
  try {
    await unsubscribe(tokenOf(request));
  } catch (error) {
    if (!(error instanceof DomainError) || error.status >= 500) throw error;
    return messageResponse(400, 'This link does not work', <p>{error.message}</p>);
  }
  return messageResponse(200, 'You are unsubscribed', <p>We will send you no more notices.</p>);
}
