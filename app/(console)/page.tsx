import { redirect } from 'next/navigation';
import { requireStaff } from '@/lib/auth/session';

export default async function Home() {
  await requireStaff();
  redirect('/overview');
}
