// While a console page loads: the navigation is already there; say that the rest is coming.
export default function ConsoleLoading() {
  return (
    <div aria-busy="true" aria-live="polite" className="animate-pulse space-y-3">
      <p className="sr-only">Loading…</p>
      <div className="h-7 w-64 rounded bg-slate-200" />
      <div className="h-32 rounded-lg bg-slate-100" />
      <div className="h-32 rounded-lg bg-slate-100" />
    </div>
  );
}
