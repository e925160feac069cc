import Link from 'next/link';

// Any address Firebreak does not serve.
export default function NotFound() {
  return (
    <main className="mx-auto max-w-lg px-4 py-16">
      <h1 className="text-2xl font-semibold text-slate-900">Page not found</h1>
      <p className="mt-2 text-slate-600">
        Firebreak has no page at this address.{' '}
        <Link href="/" className="underline">
          Go to the console
        </Link>
        .
      </p>
    </main>
  );
}
