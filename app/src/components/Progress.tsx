import { percent } from "../lib/amount.js";

/** A progress bar computed in bigint (no float rounding of large amounts). */
export function Progress({ value, max, label }: { value: bigint; max: bigint; label: string }) {
  const pct = percent(value, max);
  return (
    <div
      className="progress"
      role="progressbar"
      aria-label={label}
      aria-valuemin={0}
      aria-valuemax={100}
      aria-valuenow={Number(pct)}
      aria-valuetext={`${pct}%`}
    >
      <div className="progress-fill" style={{ width: `${pct}%` }} />
      <span className="progress-text">{pct}%</span>
    </div>
  );
}
