'use client';

// A page of the console that failed to render: the navigation stays, the failure is said plainly
// (with the id the server logged it under), and the page can be tried again without a reload.
import { useEffect } from 'react';

export default function ConsoleError({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  useEffect(() => {
    console.error(error);
  }, [error]);
  return (
    <div role="alert" className="rounded-lg border border-red-200 bg-red-50 p-5 text-red-900">
      <h1 className="text-lg font-semibold">This page could not be shown</h1>
      <p className="mt-1 text-sm">
        Something went wrong on our side; it has been logged
        {error.digest ? (
          <>
            {' '}
            as <code className="rounded bg-red-100 px-1">{error.digest}</code>
          </>
        ) : null}
        . Nothing you did was lost: actions either completed or did not start.
      </p>
      <button
        type="button"
        onClick={reset}
        className="mt-3 rounded-md bg-red-700 px-3 py-1.5 text-sm font-semibold text-white hover:bg-red-800"
      >
        Try again
      </button>
    </div>
  );
}
