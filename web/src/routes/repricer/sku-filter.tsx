import { useEffect, useId, useState } from 'react';

/** A SKU box that commits on Enter or when it loses focus (not on every keystroke). */
export function SkuFilter({
  label,
  value,
  onCommit,
}: {
  label: string;
  value: string | undefined;
  onCommit: (v: string | undefined) => void;
}) {
  const id = useId();
  const external = value ?? '';
  const [text, setText] = useState(external);
  // the URL changed under us (back button): show its value
  useEffect(() => setText(external), [external]);
  const commit = () => {
    if (text.trim() !== external) onCommit(text.trim() || undefined);
  };
  return (
    <div>
      <label htmlFor={id} className="label">
        {label}
      </label>
      <input
        id={id}
        type="search"
        className="input w-48 font-mono text-xs"
        value={text}
        maxLength={200}
        onChange={(e) => setText(e.target.value)}
        onBlur={commit}
        onKeyDown={(e) => {
          if (e.key === 'Enter') commit();
        }}
      />
    </div>
  );
}
