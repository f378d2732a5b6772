import { FLAG_REASONS, flagWords } from '../lib/flags.ts';

/** A missing input shown as words (never a silent zero), with the reason on hover. */
export function FlagChip({ flag, ean }: { flag: string; ean?: string | null }) {
  return (
    <span
      className="inline-flex items-center whitespace-nowrap rounded-full border border-amber-300 bg-amber-50 px-2 py-0.5 text-xs font-medium text-amber-900"
      title={FLAG_REASONS[flag] ?? flagWords(flag)}
    >
      {flagWords(flag, ean)}
    </span>
  );
}

export function FlagChips({
  flags,
  ean,
}: {
  flags: readonly string[] | null | undefined;
  ean?: string | null;
}) {
  if (!flags?.length) return null;
  return (
    <span className="inline-flex gap-1">
      {flags.map((f) => (
        <FlagChip key={f} flag={f} ean={ean} />
      ))}
    </span>
  );
}
