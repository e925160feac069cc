import type { Metadata } from 'next';
import { connection } from 'next/server';
import './globals.css';

export const metadata: Metadata = {
  title: { default: 'Firebreak', template: '%s · Firebreak' },
  description: 'Incident response console for crypto exchanges',
};

export default async function RootLayout({ children }: { children: React.ReactNode }) {
  // Every page renders per request, so that Next can put the request's CSP nonce on its scripts
  // (proxy.ts). A prerendered page would carry no nonce and its scripts would be refused.
  await connection();
  return (
    <html lang="en">
      <body className="min-h-screen bg-slate-50 font-sans text-slate-900 antialiased">{children}</body>
    </html>
  );
}
