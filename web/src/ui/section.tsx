import type { ReactNode } from 'react';

/** A titled card of a page (a landmark named by its title, so screen readers can jump to it). */
export function Section({
  id,
  title,
  description,
  children,
}: {
  id?: string;
  title: string;
  description?: ReactNode;
  children: ReactNode;
}) {
  return (
    <section id={id} aria-label={title} className="card scroll-mt-16 p-3">
      <h2 className="text-base font-semibold">{title}</h2>
      {description ? <p className="mb-2 text-xs text-slate-600">{description}</p> : null}
      {children}
    </section>
  );
}
