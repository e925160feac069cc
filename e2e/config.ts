// Shared by the e2e server and the specs.
export const E2E_PORT = Number(process.env.E2E_PORT ?? 3100);
export const E2E_PASSWORD = 'e2e-demo-password-not-secret';
export const ROLES = ['ADMIN', 'SECURITY', 'COMMS', 'EXECUTIVE'] as const;
export const demoEmail = (role: (typeof ROLES)[number]) => `${role.toLowerCase()}@firebreak.local`;
