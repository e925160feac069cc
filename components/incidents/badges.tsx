import { Badge } from '@/components/ui/badge';

const severityTone = { SEV1: 'bad', SEV2: 'warn', SEV3: 'neutral', SEV4: 'neutral' } as const;
const statusTone = { DECLARED: 'bad', CONTAINED: 'warn', RESOLVED: 'good', CLOSED: 'neutral' } as const;

export const SeverityBadge = ({ severity }: { severity: keyof typeof severityTone }) => (
  <Badge tone={severityTone[severity]}>{severity}</Badge>
);
export const StatusBadge = ({ status }: { status: keyof typeof statusTone }) => (
  <Badge tone={statusTone[status]}>{status}</Badge>
);

export const KIND_LABELS = {
  DATA_BREACH: 'Data breach',
  ACCOUNT_TAKEOVER: 'Account takeover',
  SOCIAL_ACCOUNT_COMPROMISE: 'Social account compromise',
  OTHER: 'Other',
} as const;
