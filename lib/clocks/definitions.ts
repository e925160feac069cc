// What the regulatory clocks are: regimes, milestones and clock definitions. No date library
// here, so forms in the browser can import these lists cheaply.

export const REGIMES = ['GDPR', 'NYDFS', 'SEC', 'DORA', 'MAS'] as const;
export type Regime = (typeof REGIMES)[number];

export const MILESTONE_KINDS = [
  'AWARE',
  'CLASSIFIED_MAJOR',
  'DETERMINED',
  'MATERIAL',
  'EXTORTION_PAID',
  'REPORT_FILED',
] as const;
export type MilestoneKind = (typeof MILESTONE_KINDS)[number];

export const MILESTONE_LABELS: Record<MilestoneKind, string> = {
  AWARE: 'Became aware / discovered',
  CLASSIFIED_MAJOR: 'Classified as major (DORA)',
  DETERMINED: 'Determined a cybersecurity incident occurred (NYDFS)',
  MATERIAL: 'Determined material (SEC)',
  EXTORTION_PAID: 'Extortion payment made (NYDFS)',
  REPORT_FILED: 'Report filed',
};

export type Definition = { regime: Regime; title: string; rule: string };

export const CLOCKS = {
  GDPR_33: { regime: 'GDPR', title: 'GDPR Art. 33 — supervisory authority', rule: '72 h from awareness' },
  GDPR_34: {
    regime: 'GDPR',
    title: 'GDPR Art. 34 — data subjects (if high risk)',
    rule: 'without undue delay; no fixed hours',
  },
  NYDFS_72H: { regime: 'NYDFS', title: 'NYDFS 500.17(a) — superintendent', rule: '72 h from determination' },
  NYDFS_EXTORTION: { regime: 'NYDFS', title: 'NYDFS 500.17(c) — extortion payment', rule: '24 h from the payment' },
  SEC_8K: {
    regime: 'SEC',
    title: 'SEC Form 8-K Item 1.05',
    rule: '4 US business days from the materiality determination (17:30 New York time)',
  },
  DORA_INITIAL: {
    regime: 'DORA',
    title: 'DORA initial notification',
    rule: '4 h from classification as major, and no later than 24 h from awareness',
  },
  DORA_INTERMEDIATE: { regime: 'DORA', title: 'DORA intermediate report', rule: '72 h after the initial notification' },
  DORA_FINAL: { regime: 'DORA', title: 'DORA final report', rule: '1 month after the last intermediate report' },
  MAS_1H: { regime: 'MAS', title: 'MAS PSN05 — notify MAS', rule: '1 h from discovery' },
} as const satisfies Record<string, Definition>;

export type ClockId = keyof typeof CLOCKS;
export const CLOCK_IDS = Object.keys(CLOCKS) as ClockId[];

/**
 * Reports that follow an earlier one (DORA's intermediate and final): they start when it is filed
 * and fall due days or weeks later. "Regulators notified" on the response checklist means every
 * first notification is filed; the follow-ups stay on the clocks.
 */
export const FOLLOW_UP_CLOCKS: readonly ClockId[] = ['DORA_INTERMEDIATE', 'DORA_FINAL'];
