import type { Metadata } from 'next';
import Link from 'next/link';
import { PageHeader } from '@/components/console/page-header';
import { CreateWebhookForm, DisableWebhookButton, ReplayButton } from '@/components/integrations/webhooks';
import { Badge } from '@/components/ui/badge';
import { Card } from '@/components/ui/card';
import { Table } from '@/components/ui/table';
import { can } from '@/lib/auth/policy';
import { requireStaff } from '@/lib/auth/session';
import { count } from '@/lib/numbers';
import { isUuid } from '@/lib/validation';
import { listWebhookDeliveries, listWebhookEndpoints } from '@/lib/webhooks';

export const metadata: Metadata = { title: 'Integrations' };

type Props = { searchParams: Promise<{ endpoint?: string }> };

const STATUS_TONE = { PENDING: 'warn', DELIVERED: 'good', DEAD: 'bad' } as const;

export default async function IntegrationsPage({ searchParams }: Props) {
  const actor = await requireStaff();
  if (!can(actor, 'webhooks.manage')) {
    return <PageHeader title="Integrations" description="Only an ADMIN can manage webhook endpoints." />;
  }
  const { endpoint: chosen } = await searchParams;
  const endpoints = await listWebhookEndpoints(actor);
  const log = chosen && isUuid(chosen) ? await listWebhookDeliveries(actor, chosen).catch(() => null) : null;
  return (
    <>
      <PageHeader
        title="Integrations"
        description="Signed webhooks (Standard Webhooks) tell the exchange's own systems about the response as it happens. Its login service asks the credential-status API with a token of scope credential-status:read (made on Your account)."
      />
      <div className="grid grid-cols-1 gap-6 lg:grid-cols-3">
        <div className="min-w-0 space-y-6 lg:col-span-2">
          {endpoints.length === 0 ? (
            <Card title="Webhook endpoints">
              <p className="text-sm text-slate-600">No endpoints yet.</p>
            </Card>
          ) : (
            <Table label="Webhook endpoints" headers={['Endpoint', 'Events', 'Waiting', 'Dead', '']}>
              {endpoints.map((e) => (
                <tr key={e.id}>
                  <td className="px-3 py-2">
                    <span className="break-all font-mono text-xs">{e.url}</span>
                    {e.description && <span className="block text-slate-600">{e.description}</span>}
                    {e.format === 'slack' && <Badge>Slack</Badge>}
                  </td>
                  <td className="px-3 py-2 font-mono text-xs">{e.events.join(', ')}</td>
                  <td className="px-3 py-2">{count(e.pending)}</td>
                  <td className="px-3 py-2">{e.dead ? <Badge tone="bad">{count(e.dead)}</Badge> : '0'}</td>
                  <td className="space-y-1 px-3 py-2">
                    <Link className="block text-sm underline" href={`/integrations?endpoint=${e.id}`}>
                      Delivery log
                    </Link>
                    {e.disabledAt ? <Badge tone="bad">disabled</Badge> : <DisableWebhookButton id={e.id} url={e.url} />}
                  </td>
                </tr>
              ))}
            </Table>
          )}
          {log && (
            <Table
              label={`Deliveries to ${log.endpoint.url}`}
              headers={['Event', 'State', 'Attempts', 'Last answer', 'Time', '']}
            >
              {log.deliveries.map((d) => (
                <tr key={d.id}>
                  <td className="px-3 py-2">
                    <code className="font-mono text-xs">{d.type}</code>
                    <span className="block font-mono text-xs text-slate-500">{d.eventId}</span>
                  </td>
                  <td className="px-3 py-2">
                    <Badge tone={STATUS_TONE[d.status]}>{d.status.toLowerCase()}</Badge>
                  </td>
                  <td className="px-3 py-2">{d.attempts}</td>
                  <td className="px-3 py-2">
                    {d.lastStatus ?? ''} {d.lastError && d.lastError !== `HTTP ${d.lastStatus}` ? d.lastError : ''}
                    {d.lastResponseMs !== null && <span className="block text-slate-500">{d.lastResponseMs} ms</span>}
                  </td>
                  <td className="px-3 py-2 text-xs">
                    {(d.deliveredAt ?? d.lastAttemptAt ?? d.createdAt).toISOString()}
                  </td>
                  <td className="px-3 py-2">{d.status !== 'PENDING' && <ReplayButton id={d.id} type={d.type} />}</td>
                </tr>
              ))}
            </Table>
          )}
        </div>
        <Card title="Add a webhook endpoint">
          <CreateWebhookForm />
        </Card>
      </div>
    </>
  );
}
