import type { ReactNode } from 'react';

/** A titled card of a page (a landmark named by its title, so screen readers can jump to it). */
export function Section({
  title,
  description,
  children,
}: {
  title: string;
  description?: ReactNode;
  children: ReactNode;
}) {
  return (
    <section aria-label={title} className="card p-3">
      <h2 className="text-base font-semibold">{title}</h2>
      {description ? <p className="mb-2 text-xs text-slate-600">{description}</p> : null}
      {children}
    </section>
  );
}
