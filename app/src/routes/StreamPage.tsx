/**
 * `/stream/<id>`: one stream, readable without a wallet: the schedule, a chart of
 * accrual, live amounts, and history from the contract's events (saying so when the
 * RPC's retention window hides older ones).
 */
import type { StreamEvent } from "@tributary/sdk";
import { useEffect, useState } from "react";
import { AccrualChart } from "../components/AccrualChart.js";
import { StatusBadge } from "../components/StatusBadge.js";
import { useStream } from "../hooks.js";
import { formatToken } from "../lib/amount.js";
import { useLedgerTime } from "../lib/clock.js";
import { explainError } from "../lib/errors.js";
import { statusSentence } from "../lib/status.js";
import { formatDuration, formatTs } from "../lib/time.js";
import { streamView } from "../lib/view.js";
import { useApp, useTokenMetadata } from "../state.js";

interface History {
  events: StreamEvent[];
  /** True when the `created` event is outside the RPC's retention window. */
  truncated: boolean;
  oldestLedger: number;
}

function useHistory(id: bigint, version: unknown): { history: History | null; error: string } {
  const { reader } = useApp();
  const [history, setHistory] = useState<History | null>(null);
  const [error, setError] = useState("");
  // biome-ignore lint/correctness/useExhaustiveDependencies: `version` re-reads after the stream changes
  useEffect(() => {
    let live = true;
    (async () => {
      const health = await reader.server.getHealth();
      const events: StreamEvent[] = [];
      let page = await reader.events({ startLedger: health.oldestLedger, streamId: id, limit: 200 });
      for (let i = 0; i < 20; i++) {
        events.push(...page.events);
        if (page.events.length < 200) break;
        page = await reader.events({ cursor: page.nextCursor, streamId: id, limit: 200 });
      }
      return {
        events,
        truncated: !events.some((e) => e.type === "created"),
        oldestLedger: health.oldestLedger,
      };
    })().then(
      (h) => live && setHistory(h),
      (e) => live && setError(explainError(e).message),
    );
    return () => {
      live = false;
    };
  }, [id, reader, version]);
  return { history, error };
}

function describeEvent(e: StreamEvent, fmt: (v: bigint) => string): string {
  switch (e.type) {
    case "created":
      return `Created with ${fmt(e.deposit)}`;
    case "withdrawn":
      return `Recipient withdrew ${fmt(e.amount)}`;
    case "settled":
      return `Settled ${fmt(e.amount)} to the recipient`;
    case "settleSkipped":
      return `Settlement of ${fmt(e.amount)} skipped (recipient cannot receive)`;
    case "cancelSkipped":
      return `Cancel skipped in a batch (contract error ${e.error})`;
    case "voided":
      return `Voided: ${fmt(e.refunded)} refunded to the sender, ${fmt(e.forfeited)} of unfunded debt forfeited`;
    case "canceled":
      return `Canceled: ${fmt(e.refunded)} refunded, ${fmt(e.owed)} owed to the recipient`;
    case "toppedUp":
      return `Topped up with ${fmt(e.amount)}`;
    case "paused":
      return "Paused";
    case "resumed":
      return "Resumed";
    case "rateSet":
      return `Rate changed from ${fmt(e.oldAmountPerPeriod)} to ${fmt(e.newAmountPerPeriod)} per period`;
    case "refunded":
      return `${fmt(e.amount)} refunded to the sender`;
    case "transferred":
      return `Transferred to ${e.to.slice(0, 4)}...${e.to.slice(-4)}`;
    case "renounced":
      return "Sender renounced the right to cancel";
  }
}

export function StreamPage({ id }: { id: bigint }) {
  const one = useStream(id);
  const s = one.data;
  const meta = useTokenMetadata(s ? [s.token] : []);
  const token = s ? meta.get(s.token) : undefined;
  const t = useLedgerTime(one.anchor);
  const { history, error: historyError } = useHistory(id, s?.withdrawn);
  if (one.error)
    return (
      <p className="notice notice-error" role="alert">
        {one.error}
      </p>
    );
  if (one.loading && !s) return <p>Reading stream #{String(id)} from the chain...</p>;
  if (!s)
    return (
      <section>
        <h1>Stream #{String(id)}</h1>
        <p>There is no stream with this id on this network.</p>
      </section>
    );
  if (!token || t === null) return <p>Reading the token...</p>;
  const v = streamView(s, t);
  const fmt = (x: bigint) => formatToken(x, token, true);
  const sch = s.schedule;
  let cumulative = 0n;
  const payouts = (history?.events ?? [])
    .filter((e) => e.type === "withdrawn" || e.type === "settled")
    .map((e) => {
      cumulative += (e as { amount: bigint }).amount;
      return { ts: BigInt(Math.floor(Date.parse(e.ledgerClosedAt ?? "") / 1000) || 0), cumulative };
    });
  return (
    <section aria-labelledby="stream-title" data-testid="stream-page">
      <div className="section-head">
        <h1 id="stream-title">Stream #{String(id)}</h1>
        <StatusBadge status={v.status} />
      </div>
      <p>{statusSentence(v.status)}</p>
      <div className="stats">
        <div className="stat">
          <span className="stat-label">Streamed</span>
          <span className="stat-value" data-testid="page-accrued">
            {fmt(v.amounts.accrued)}
          </span>
        </div>
        <div className="stat">
          <span className="stat-label">Withdrawable</span>
          <span className="stat-value">{fmt(v.amounts.withdrawable)}</span>
        </div>
        <div className="stat">
          <span className="stat-label">Withdrawn</span>
          <span className="stat-value">{fmt(s.withdrawn)}</span>
        </div>
        <div className="stat">
          <span className="stat-label">{sch.kind === "openEnded" ? "Funds left" : "Still to stream"}</span>
          <span className="stat-value">{fmt(v.amounts.refundable)}</span>
        </div>
      </div>
      <p className="as-of">As of ledger time {formatTs(t)}</p>
      <AccrualChart stream={s} token={token} now={t} payouts={payouts} />
      <h2>Schedule</h2>
      <dl className="facts">
        <div>
          <dt>Shape</dt>
          <dd>
            {sch.kind === "linear"
              ? "Linear"
              : sch.kind === "tranched"
                ? `${sch.count} unlocks`
                : "Open-ended rate"}
          </dd>
        </div>
        {sch.kind !== "openEnded" && (
          <div>
            <dt>Runs</dt>
            <dd>
              {formatTs(sch.startTs)} to {formatTs(sch.endTs)}
            </dd>
          </div>
        )}
        {sch.kind === "linear" && sch.cliffTs > sch.startTs && (
          <div>
            <dt>Cliff</dt>
            <dd>{formatTs(sch.cliffTs)}</dd>
          </div>
        )}
        {sch.kind === "openEnded" && (
          <div>
            <dt>Rate</dt>
            <dd>
              {fmt(sch.amountPerPeriod)} every {formatDuration(sch.periodS)}
            </dd>
          </div>
        )}
        <div>
          <dt>Token</dt>
          <dd title={s.token}>
            {token.symbol} ({token.decimals} decimals)
          </dd>
        </div>
        <div>
          <dt>Sender</dt>
          <dd className="mono">{s.sender}</dd>
        </div>
        <div>
          <dt>Recipient</dt>
          <dd className="mono">{s.recipient}</dd>
        </div>
        <div>
          <dt>Deposited</dt>
          <dd>{fmt(s.deposited)}</dd>
        </div>
        <div>
          <dt>Cancelable / transferable</dt>
          <dd>
            {s.cancelable ? "yes" : "no"} / {s.transferable ? "yes" : "no"}
          </dd>
        </div>
      </dl>
      {s.tranches && (
        <details>
          <summary>All {s.tranches.length} unlocks</summary>
          <ol className="paydays">
            {s.tranches.map((tr) => (
              <li key={String(tr.unlockTs)}>
                {formatTs(tr.unlockTs)}: {fmt(tr.amount)}
              </li>
            ))}
          </ol>
        </details>
      )}
      <h2>History</h2>
      {historyError && <p className="notice notice-error">{historyError}</p>}
      {history?.truncated && (
        <p className="notice notice-warn" data-testid="history-truncated">
          Older events are outside this RPC's retention window (it keeps events from ledger{" "}
          {history.oldestLedger} on), so the history below is incomplete. The amounts above are read from the
          ledger and are complete.
        </p>
      )}
      {history && (
        <ol className="history" data-testid="history">
          {history.events.map((e) => (
            <li key={e.eventId ?? `${e.ledger}-${e.type}`}>
              <span className="when">
                {e.ledgerClosedAt
                  ? formatTs(BigInt(Date.parse(e.ledgerClosedAt) / 1000))
                  : `ledger ${e.ledger}`}
              </span>{" "}
              {describeEvent(e, fmt)}
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
