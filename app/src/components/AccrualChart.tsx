/**
 * The schedule as a chart: what has accrued over time (past and future) from the
 * SDK's exact mirror, unlocks marked (tranches, cliff), paid-out steps marked (the
 * cumulative withdrawn/settled amounts from the events), and "now". Plain SVG.
 */
import { accruedAt, type StreamWithTranches, type TokenMetadata } from "@tributary/sdk";
import { formatToken } from "../lib/amount.js";
import { formatDate, formatTs } from "../lib/time.js";

const W = 640;
const H = 240;
const PAD = { l: 56, r: 16, t: 16, b: 32 };

export function AccrualChart(props: {
  stream: StreamWithTranches;
  token: TokenMetadata;
  now: bigint;
  payouts: { ts: bigint; cumulative: bigint }[];
}) {
  const { stream: s, token, now } = props;
  const sch = s.schedule;
  const from = sch.kind === "openEnded" ? s.createdTs : sch.startTs;
  let to: bigint;
  if (sch.kind === "openEnded") {
    const span = now > from ? now - from : sch.periodS;
    to = now + (span > sch.periodS * 4n ? span : sch.periodS * 4n);
  } else to = sch.endTs > now ? sch.endTs : now + (sch.endTs - from) / 10n + 1n;
  const N = 120;
  const pts: { ts: bigint; v: bigint }[] = [];
  const unlocks = s.tranches?.map((t) => t.unlockTs) ?? [];
  if (sch.kind === "linear" && sch.cliffTs > sch.startTs) unlocks.push(sch.cliffTs);
  const times = new Set<bigint>([from, to, now, ...unlocks.flatMap((u) => [u - 1n, u])]);
  for (let i = 0; i <= N; i++) times.add(from + ((to - from) * BigInt(i)) / BigInt(N));
  for (const ts of [...times].filter((x) => x >= from && x <= to).sort((a, b) => (a < b ? -1 : 1)))
    pts.push({ ts, v: accruedAt(s, ts, s.tranches) });
  const maxV = pts.reduce((m, p) => (p.v > m ? p.v : m), s.deposited > 0n ? s.deposited : 1n);
  const x = (ts: bigint) => PAD.l + (Number(ts - from) / Number(to - from || 1n)) * (W - PAD.l - PAD.r);
  const y = (v: bigint) => H - PAD.b - (Number((v * 10_000n) / maxV) / 10_000) * (H - PAD.t - PAD.b);
  const path = pts.map((p, i) => `${i ? "L" : "M"}${x(p.ts).toFixed(1)},${y(p.v).toFixed(1)}`).join(" ");
  const paid = props.payouts.filter((p) => p.ts >= from && p.ts <= to);
  const nowV = accruedAt(s, now, s.tranches);
  // Axis labels: dates for long spans, times of day for spans under two days.
  const label = (ts: bigint) => (to - from < 2n * 86_400n ? formatTs(ts).slice(5, 16) : formatDate(ts));
  return (
    <figure className="chart">
      <svg viewBox={`0 0 ${W} ${H}`} role="img" aria-labelledby="chart-title chart-desc">
        <title id="chart-title">Accrual of stream #{String(s.id)} over time</title>
        <desc id="chart-desc">
          From {formatDate(from)} to {formatDate(to)}: {formatToken(nowV, token, true)} accrued by now
          {unlocks.length ? `, ${unlocks.length} unlocks marked` : ""}
          {paid.length ? `, ${paid.length} payouts marked` : ""}.
        </desc>
        <line x1={PAD.l} y1={H - PAD.b} x2={W - PAD.r} y2={H - PAD.b} className="axis" />
        <line x1={PAD.l} y1={PAD.t} x2={PAD.l} y2={H - PAD.b} className="axis" />
        <text x={PAD.l - 6} y={PAD.t + 4} className="tick" textAnchor="end">
          {formatToken(maxV, token, true).split(" ")[0]}
        </text>
        <text x={PAD.l - 6} y={H - PAD.b} className="tick" textAnchor="end">
          0
        </text>
        <text x={PAD.l} y={H - 10} className="tick">
          {label(from)}
        </text>
        <text x={W - PAD.r} y={H - 10} className="tick" textAnchor="end">
          {label(to)}
        </text>
        <path d={path} className="accrual" />
        {unlocks
          .filter((u) => u >= from && u <= to)
          .map((u) => (
            <circle key={`u${u}`} cx={x(u)} cy={y(accruedAt(s, u, s.tranches))} r={4} className="unlock" />
          ))}
        {paid.length > 0 && (
          <path
            className="paid"
            d={paid
              .map((p, i) => {
                const prev = i ? paid[i - 1]!.cumulative : 0n;
                return `${i ? "L" : "M"}${x(p.ts).toFixed(1)},${y(prev).toFixed(1)} L${x(p.ts).toFixed(1)},${y(p.cumulative).toFixed(1)}`;
              })
              .join(" ")}
          />
        )}
        {now >= from && now <= to && (
          <>
            <line x1={x(now)} y1={PAD.t} x2={x(now)} y2={H - PAD.b} className="now" />
            <text x={x(now) + 4} y={PAD.t + 10} className="tick">
              now
            </text>
          </>
        )}
      </svg>
      <figcaption className="legend">
        <span className="key key-accrual">accrued</span> <span className="key key-unlock">unlock</span>{" "}
        <span className="key key-paid">paid out</span> <span className="key key-now">now (ledger time)</span>
      </figcaption>
    </figure>
  );
}
