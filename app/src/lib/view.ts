/**
 * What a stream card shows at ledger time `t`, computed with the SDK's exact mirror:
 * amounts, status, progress and the next unlock. Pure.
 */
import { type Amounts, amountsAt, nextAccrualTs, runwayS, type StreamWithTranches } from "@tributary/sdk";
import { type DisplayStatus, displayStatus } from "./status.js";

export interface StreamView {
  amounts: Amounts;
  status: DisplayStatus;
  /** What the schedule streams in total (fixed) or what was funded (open-ended), base units. */
  total: bigint;
  /** Accrued / total, capped at total. */
  streamed: bigint;
  /** Tranched (and cliffed linear) streams: the next instant something unlocks. */
  nextUnlockTs: bigint | null;
  /** Open-ended: seconds of funding left (null when it never runs dry). */
  runwayS: bigint | null;
}

export function streamView(s: StreamWithTranches, t: bigint): StreamView {
  const amounts = amountsAt(s, t, s.tranches);
  const status = displayStatus(s, amounts, t);
  const total = s.deposited;
  const streamed = amounts.accrued > total ? total : amounts.accrued;
  let nextUnlockTs: bigint | null = null;
  const sch = s.schedule;
  if (sch.kind === "tranched") nextUnlockTs = nextAccrualTs(s, t, s.tranches);
  else if (sch.kind === "linear" && s.status === "active" && t < sch.cliffTs) nextUnlockTs = sch.cliffTs;
  return { amounts, status, total, streamed, nextUnlockTs, runwayS: runwayS(s, t) };
}
