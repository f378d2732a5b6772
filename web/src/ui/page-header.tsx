import type { ReactNode } from 'react';

export interface PageHeaderProps {
  title: string;
  /** One line saying what the page is for. */
  description?: ReactNode;
  /** Buttons and links shown on the right. */
  actions?: ReactNode;
}

/** Every page starts with this: title, one-line explanation, actions on the right. */
export function PageHeader({ title, description, actions }: PageHeaderProps) {
  return (
    <div className="mb-4 flex flex-wrap items-start justify-between gap-3">
      <div className="min-w-0">
        <h1 className="text-xl font-semibold text-slate-900">{title}</h1>
        {description ? <p className="mt-0.5 text-sm text-slate-600">{description}</p> : null}
      </div>
      {actions ? <div className="flex flex-wrap items-center gap-2">{actions}</div> : null}
    </div>
  );
}
