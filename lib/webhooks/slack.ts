// An event as a line in the incident channel: what happened, in words people read at 3 a.m., with
// the reference to find it in the console. Slack's mrkdwn needs &, < and > escaped in our text.
import type { WebhookEventType } from './schema';

type Data = Record<string, unknown>;

const mrkdwn = (value: unknown) =>
  String(value ?? '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;');
const number = (value: unknown) => Number(value ?? 0).toLocaleString('en-US');
const list = (value: unknown) => (Array.isArray(value) ? value.map(mrkdwn).join(', ') : mrkdwn(value));

const LINES: Record<WebhookEventType, (d: Data) => string> = {
  'incident.declared': (d) =>
    `:rotating_light: *${mrkdwn(d.incident)} declared* (${mrkdwn(d.severity)}, ${mrkdwn(d.kind)}): ${mrkdwn(d.title)}`,
  'mail.frozen': (d) =>
    `:no_entry: *Mail frozen*: ${list(d.streams)} — ${number(d.held)} held. ${mrkdwn(d.reason)} (${mrkdwn(d.frozenBy)})`,
  'mail.unfrozen': (d) =>
    `:arrow_forward: *Mail unfrozen*: ${list(d.streams)}. ${mrkdwn(d.reason)} (${mrkdwn(d.unfrozenBy)})`,
  'reset.effective': (d) =>
    `:key: *Password reset in effect* for ${number((d.cohort as Data | undefined)?.customers)} customers (${mrkdwn(d.incident)}): old passwords are refused from now on.`,
  'reset.customers': (d) =>
    `:envelope: Reset fan-out (${mrkdwn(d.incident)}): ${number((d.externalIds as unknown[] | undefined)?.length)} more customers reached.`,
  'reset.completed': (d) =>
    `:white_check_mark: *Password reset complete* (${mrkdwn(d.incident)}): ${number(d.processed)} customers reached, ${number(d.mailed)} reset mails queued.`,
  'notice.published': (d) => {
    const notice = (d.notice ?? {}) as Data;
    return `:mega: *Notice published* (${mrkdwn(notice.incident)}, revision ${mrkdwn(notice.revision)}): ${mrkdwn(notice.title)} <${mrkdwn(notice.url)}>`;
  },
  'channel.compromised': (d) => {
    const channel = (d.channel ?? {}) as Data;
    return `:warning: *Official channel compromised*: ${mrkdwn(channel.name)} ${mrkdwn(channel.handle)}. The public status page says so.`;
  },
  'clock.due': (d) =>
    `:alarm_clock: *${mrkdwn(d.clock)} due* for ${mrkdwn(d.incident)} at ${mrkdwn(d.dueAt)} (in ${number(d.minutesLeft)} min), not filed yet.`,
};

/** The Slack line for an event (its body as stored: `{ type, timestamp, data }`). */
export function slackText(payload: { type: string; data: Data }) {
  const line = LINES[payload.type as WebhookEventType];
  return line ? line(payload.data ?? {}) : `Firebreak: ${mrkdwn(payload.type)}`;
}
