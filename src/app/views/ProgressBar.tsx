/** A 0-100 % bar with its accessible progressbar role; `big` for the download's main bar. */
export function ProgressBar({
  pct,
  label,
  big,
  testId,
}: {
  pct: number;
  label: string;
  big?: boolean;
  testId?: string;
}) {
  return (
    <div
      className={big ? 'bar big' : 'bar'}
      role="progressbar"
      data-testid={testId}
      aria-valuemin={0}
      aria-valuemax={100}
      aria-valuenow={pct}
      aria-label={label}
    >
      <div style={{ width: `${pct}%` }} />
    </div>
  );
}
