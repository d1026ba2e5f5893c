/**
 * What a stream's state means to a person. The contract stores four statuses
 * (active, paused, canceled, voided); the app also tells apart a fixed stream that has not
 * started or has streamed everything, and an open-ended stream that ran out of funds
 * and is accruing debt. Pure: a stream, its amounts at `t` (from the SDK's mirror or
 * the contract) and `t`.
 */
import type { Amounts, Stream } from "@tributary/sdk";

export type DisplayStatus =
  | "scheduled"
  | "active"
  | "paused"
  | "outOfFunds"
  | "canceled"
  | "voided"
  | "finished";

export const STATUS_LABEL: Record<DisplayStatus, string> = {
  scheduled: "Not started",
  active: "Streaming",
  paused: "Paused",
  outOfFunds: "Out of funds",
  canceled: "Canceled",
  voided: "Voided",
  finished: "Finished",
};

/** The stream's status at ledger time `t` as the app shows it. */
export function displayStatus(stream: Stream, amounts: Amounts, t: bigint): DisplayStatus {
  if (stream.status === "canceled") return "canceled";
  if (stream.status === "voided") return "voided";
  if (stream.status === "paused") return "paused";
  const s = stream.schedule;
  if (s.kind === "openEnded") {
    if (amounts.debt > 0n) return "outOfFunds";
    return t < s.snapshotTs ? "scheduled" : "active";
  }
  if (t < s.startTs) return "scheduled";
  if (t >= s.endTs && amounts.accrued >= stream.deposited) return "finished";
  return "active";
}

/** One sentence explaining the status, for the stream page and screen readers. */
export function statusSentence(status: DisplayStatus): string {
  switch (status) {
    case "scheduled":
      return "The stream has not started yet; nothing has accrued.";
    case "active":
      return "Tokens are accruing to the recipient every second.";
    case "paused":
      return "The sender paused the stream; nothing accrues until it is resumed.";
    case "outOfFunds":
      return "The stream ran out of funds: what accrues now is owed as debt until the sender tops it up.";
    case "canceled":
      return "The sender canceled the stream; what had accrued stays the recipient's to withdraw.";
    case "voided":
      return "The stream was stopped for good; the recipient keeps what was funded, unfunded debt is forfeited.";
    case "finished":
      return "Everything has been streamed.";
  }
}

/** Which sender actions the contract allows on this stream now (the rest are hidden). */
export function senderActions(
  stream: Stream,
  status: DisplayStatus,
): {
  topUp: boolean;
  pause: boolean;
  resume: boolean;
  setRate: boolean;
  refund: boolean;
  cancel: boolean;
  renounce: boolean;
} {
  const open = stream.schedule.kind === "openEnded";
  const live = stream.status === "active" || stream.status === "paused";
  return {
    topUp: open && live,
    pause: open && stream.status === "active",
    resume: open && stream.status === "paused",
    setRate: open && live,
    refund: open && live,
    // A fixed stream that has streamed everything has nothing left to cancel (StreamCompleted).
    cancel: live && stream.cancelable && status !== "finished",
    renounce: live && stream.cancelable,
  };
}
