import { useEffect, useId, useState } from 'react';

/** A text filter committed on Enter or when the field is left (not on every key). */
export function TextFilter({
  label,
  value,
  onCommit,
  width,
  maxLength,
  placeholder,
}: {
  label: string;
  value: string | undefined;
  onCommit: (v: string) => void;
  width: string;
  maxLength: number;
  placeholder?: string;
}) {
  const id = useId();
  const [text, setText] = useState(value ?? '');
  useEffect(() => setText(value ?? ''), [value]);
  const commit = () => text.trim() !== (value ?? '') && onCommit(text.trim());
  return (
    <div>
      <label htmlFor={id} className="label">
        {label}
      </label>
      <input
        id={id}
        type="search"
        className={`input ${width}`}
        value={text}
        maxLength={maxLength}
        placeholder={placeholder}
        onChange={(e) => setText(e.target.value)}
        onBlur={commit}
        onKeyDown={(e) => e.key === 'Enter' && commit()}
      />
    </div>
  );
}
