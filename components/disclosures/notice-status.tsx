import { Badge } from '@/components/ui/badge';

const TONES = { DRAFT: 'neutral', IN_REVIEW: 'warn', APPROVED: 'good', PUBLISHED: 'good' } as const;
const LABELS = { DRAFT: 'draft', IN_REVIEW: 'in review', APPROVED: 'approved', PUBLISHED: 'published' } as const;

export function NoticeStatus({ status }: { status: keyof typeof TONES }) {
  return <Badge tone={TONES[status]}>{LABELS[status]}</Badge>;
}
