import { useNavigate } from '@tanstack/react-router';
import type { MouseEvent, ReactNode } from 'react';

/**
 * A link to an address built at run time (a task's links): a real `<a href>` (new tab, copy link),
 * followed inside the app without a reload on a plain click.
 */
export function AppLink({
  href,
  className,
  onFollow,
  children,
}: {
  href: string;
  className?: string;
  onFollow?: () => void;
  children: ReactNode;
}) {
  const navigate = useNavigate();
  const follow = (e: MouseEvent) => {
    if (e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
    e.preventDefault();
    onFollow?.();
    void navigate({ href });
  };
  return (
    <a href={href} className={className} onClick={follow}>
      {children}
    </a>
  );
}
