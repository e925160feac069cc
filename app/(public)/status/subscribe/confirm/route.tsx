import { DomainError } from '@/lib/errors';
import { messageResponse } from '@/lib/status/pages';
import { confirmSubscription, tokenLooksValid } from '@/lib/status/subscriptions';

export const dynamic = 'force-dynamic';

const tokenOf = (request: Request) => new URL(request.url).searchParams.get('token') ?? '';

/**
 * The link in the confirmation mail shows a button; only the button's POST confirms, so a mail
 * scanner that opens every link does not subscribe anyone.
 */
export async function GET(request: Request) {
  const token = tokenOf(request);
  if (!tokenLooksValid(token, 'confirm'))
    return messageResponse(400, 'This link does not work', <p>It is not valid or has expired. Ask for a new one.</p>);
  return messageResponse(
    200,
    'Confirm your subscription',
    <form method="post" action={`/status/subscribe/confirm?token=${encodeURIComponent(token)}`}>
      <p>Get a mail each time we publish or update an incident notice.</p>
      <button type="submit">Confirm</button>
    </form>,
  );
}

export async function POST(request: Request) {
  try {
    await confirmSubscription(tokenOf(request));
  } catch (error) {
    if (!(error instanceof DomainError) || error.status >= 500) throw error;
    return messageResponse(400, 'This link does not work', <p>{error.message}</p>);
  }
  return messageResponse(
    200,
    'You are subscribed',
    <p>You will get our incident notices by email. Each one has a link to unsubscribe.</p>,
  );
}
