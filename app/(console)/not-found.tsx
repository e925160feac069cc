import Link from 'next/link';

// An incident, campaign or page of the console that does not exist (or is not yours to see).
export default function ConsoleNotFound() {
  return (
    <div className="rounded-lg border border-slate-200 bg-white p-5">
      <h1 className="text-lg font-semibold text-slate-900">Not found</h1>
      <p className="mt-1 text-sm text-slate-600">
        There is nothing here. Check the reference, or go back to the{' '}
        <Link href="/overview" className="underline">
          overview
        </Link>
        .
      </p>
    </div>
  );
}
