export function Card({
  title,
  children,
  className = '',
  id,
}: {
  title?: string;
  children: React.ReactNode;
  className?: string;
  /** An anchor the runbook's buttons jump to (#reset, #clocks). */
  id?: string;
}) {
  return (
    <section id={id} className={`scroll-mt-4 rounded-lg border border-slate-200 bg-white p-5 shadow-sm ${className}`}>
      {title && <h2 className="mb-3 text-base font-semibold text-slate-800">{title}</h2>}
      {children}
    </section>
  );
}
