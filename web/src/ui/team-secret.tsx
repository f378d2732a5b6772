import { useEffect, useRef, useState } from 'react';

/**
 * A password or token shown this once: AWA keeps only its hash, so it cannot be shown again. Focus
 * moves here so a keyboard or screen-reader user finds it; Copy puts it on the clipboard.
 */
export function SecretOnce({
  title,
  secret,
  children,
  onDone,
}: {
  title: string;
  secret: string;
  children?: React.ReactNode;
  onDone: () => void;
}) {
  const ref = useRef<HTMLElement>(null);
  const [copied, setCopied] = useState(false);
  useEffect(() => ref.current?.focus(), []);
  async function copy() {
    try {
      await navigator.clipboard.writeText(secret);
      setCopied(true);
    } catch {
      setCopied(false);
    }
  }
  return (
    <section
      ref={ref}
      tabIndex={-1}
      aria-label={title}
      className="my-3 rounded-md border border-amber-400 bg-amber-50 p-3 text-sm text-slate-900 focus:outline-2 focus:outline-amber-600"
    >
      <h3 className="font-semibold">{title}</h3>
      {children ? <div className="mt-1 text-slate-800">{children}</div> : null}
      <div className="mt-2 flex flex-wrap items-center gap-2">
        <code
          data-testid="secret"
          className="rounded border border-amber-300 bg-white px-2 py-1 font-mono select-all"
        >
          {secret}
        </code>
        <button type="button" className="btn btn-secondary" onClick={() => void copy()}>
          {copied ? 'Copied' : 'Copy'}
        </button>
        <button type="button" className="btn btn-secondary" onClick={onDone}>
          Done, hide it
        </button>
      </div>
      <p className="mt-2 text-xs text-slate-700">
        Shown only this once: AWA stores a hash, not the value. Copy it now.
      </p>
    </section>
  );
}
