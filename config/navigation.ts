// The console's navigation: each entry is shown only to roles holding its permission.
import type { Permission } from '@/lib/auth/policy';

export const NAVIGATION: { href: string; label: string; permission: Permission }[] = [
  { href: '/overview', label: 'Overview', permission: 'console.read' },
  { href: '/incidents', label: 'Incidents', permission: 'console.read' },
  { href: '/mail', label: 'Mail', permission: 'console.read' },
  { href: '/disclosures', label: 'Disclosures', permission: 'console.read' },
  { href: '/channels', label: 'Channels', permission: 'console.read' },
  { href: '/customers', label: 'Customers', permission: 'console.read' },
  { href: '/audit', label: 'Audit', permission: 'audit.read' },
  { href: '/staff', label: 'Staff', permission: 'staff.manage' },
  { href: '/integrations', label: 'Integrations', permission: 'webhooks.manage' },
];
