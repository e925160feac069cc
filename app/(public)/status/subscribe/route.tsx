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
  let email = '';
  try {
    email = (await formFields(request, 4096)).get('email') ?? '';
    await requestSubscription({ email });
  } catch (error) {
    if (!(error instanceof DomainError) || error.status >= 500) throw error;
    const busy = error.status === 429;
    // The field's own words ("Enter an email address like name@example.com."), and the form again with what was typed.
    const fields = (error.details as { fields?: Record<string, string> } | undefined)?.fields;
    return messageResponse(
      busy ? 429 : 400,
      busy ? 'Try again in a minute' : 'Check the address',
      <>
        <p className="error" role="alert">
          {fields ? Object.values(fields)[0] : error.message}
        </p>
        <form method="post" action="/status/subscribe">
          <label htmlFor="email">Email address</label>
          <input id="email" name="email" type="email" required maxLength={254} defaultValue={email.slice(0, 254)} />
          <p>
            <button type="submit">Subscribe</button>
          </p>
        </form>
      </>,
    );
  }
  return seeOther('/status/subscribe');
}
