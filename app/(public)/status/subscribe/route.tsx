import { DomainError } from '@/lib/errors';
import { seeOther } from '@/lib/status/http';
import { formFields, messageResponse } from '@/lib/status/pages';
import { requestSubscription } from '@/lib/status/subscriptions';

export const dynamic = 'force-dynamic';

/** The form's answer, the same for every address (it tells nobody who is subscribed). */
export const GET = () =>
  messageResponse(
    200,
    'Check your inbox',
    <p>
      If that address can receive mail, a confirmation link is on its way. Notices start once you confirm. The link
      works for 48 hours.
    </p>,
  );

export async function POST(request: Request) {
  try {
    await requestSubscription({ email: (await formFields(request, 4096)).get('email') ?? '' });
  } catch (error) {
    if (!(error instanceof DomainError) || error.status >= 500) throw error;
    const busy = error.status === 429;
    return messageResponse(
      busy ? 429 : 400,
      busy ? 'Try again in a minute' : 'That address cannot be used',
      <p>{error.message}</p>,
    );
  }
  return seeOther('/status/subscribe');
}
