/**
 * The contract's events (`contracts/stream/src/events.rs`) decoded to typed objects.
 * Topic 0 is the event name, topic 1 the stream id (always); `vec` events carry their
 * non-topic fields as a vector in declaration order, `single-value` events the one
 * field itself.
 */

import { StrKey, type xdr } from "@stellar/stellar-sdk";
import { Buffer } from "buffer";
import { DecodeError } from "../errors.js";
import type { AddressString, Schedule, Tranche } from "../types.js";
import { type Native, native, parseSchedule } from "./wire.js";

/** Fields every decoded event carries, where the source provides them. */
export interface EventMeta {
  /** The stream id (topic 1). */
  id: bigint;
  /** Ledger sequence the event was emitted in (from `getEvents`). */
  ledger?: number;
  /** ISO time of that ledger's close (from `getEvents`). */
  ledgerClosedAt?: string;
  txHash?: string;
  /** The RPC's event id, usable as a `getEvents` cursor. */
  eventId?: string;
}

/** One decoded contract event. `type` is the event's topic-0 symbol in camelCase. */
export type StreamEvent = EventMeta &
  (
    | {
        type: "created";
        sender: AddressString;
        recipient: AddressString;
        token: AddressString;
        kind: Schedule["kind"];
        deposit: bigint;
        /** The stored schedule at creation (everything needed to compute balances from events). */
        schedule: Schedule;
        /** Tranched streams' unlocks; empty for other shapes. */
        tranches: Tranche[];
        cancelable: boolean;
        transferable: boolean;
        /** The sender's accounting reference (may be empty). */
        reference: Uint8Array;
      }
    | { type: "withdrawn"; to: AddressString; amount: bigint }
    | { type: "settled"; amount: bigint }
    | { type: "settleSkipped"; amount: bigint }
    | { type: "cancelSkipped"; error: number }
    | { type: "voided"; refunded: bigint; forfeited: bigint }
    | { type: "canceled"; refunded: bigint; owed: bigint }
    | { type: "toppedUp"; from: AddressString; amount: bigint }
    | { type: "paused"; accrued: bigint }
    | { type: "resumed" }
    | { type: "rateSet"; oldAmountPerPeriod: bigint; newAmountPerPeriod: bigint }
    | { type: "refunded"; amount: bigint }
    | { type: "transferred"; from: AddressString; to: AddressString }
    | { type: "renounced" }
  );

/**
 * Every event type, spelled as in the decoded {@link StreamEvent}'s `type` and in
 * `StreamClient.events({ names })` filters (camelCase; the one spelling the SDK uses).
 */
export const EVENT_NAMES = [
  "created",
  "withdrawn",
  "settled",
  "settleSkipped",
  "cancelSkipped",
  "voided",
  "canceled",
  "toppedUp",
  "paused",
  "resumed",
  "rateSet",
  "refunded",
  "transferred",
  "renounced",
] as const;

/** An event type (see {@link EVENT_NAMES}). */
export type EventName = (typeof EVENT_NAMES)[number];

/** The topic-0 symbol the contract emits for each event type (`events.rs`: snake_case). */
export const EVENT_TOPICS: Readonly<Record<EventName, string>> = Object.freeze({
  created: "created",
  withdrawn: "withdrawn",
  settled: "settled",
  settleSkipped: "settle_skipped",
  cancelSkipped: "cancel_skipped",
  voided: "voided",
  canceled: "canceled",
  toppedUp: "topped_up",
  paused: "paused",
  resumed: "resumed",
  rateSet: "rate_set",
  refunded: "refunded",
  transferred: "transferred",
  renounced: "renounced",
});

const TOPIC_SYMBOLS = new Set(Object.values(EVENT_TOPICS));

function bad(name: string, why: string): never {
  throw new DecodeError(`event ${name}: ${why}`);
}

/**
 * Decodes one event from its topics and data; `null` when topic 0 is not one of this
 * contract's event names (e.g. a token's `transfer` event seen in a transaction's meta).
 */
export function decodeEvent(
  topics: xdr.ScVal[],
  data: xdr.ScVal,
  meta: Omit<EventMeta, "id"> = {},
): StreamEvent | null {
  if (topics.length < 2 || topics[0]!.switch().name !== "scvSymbol") return null;
  const name = topics[0]!.sym().toString();
  if (!TOPIC_SYMBOLS.has(name)) return null;
  const t = topics.map(native);
  const id = t[1];
  if (typeof id !== "bigint") bad(name, "topic 1 is not a u64 id");
  const d = native(data);
  const fields = (n: number): unknown[] => {
    if (!Array.isArray(d) || d.length !== n) bad(name, `expected ${n} data fields`);
    return d;
  };
  const big = (v: unknown): bigint => (typeof v === "bigint" ? v : bad(name, "expected an integer"));
  const str = (v: unknown): string => (typeof v === "string" ? v : bad(name, "expected an address"));
  const base = { ...meta, id };
  switch (name) {
    case "created": {
      const [token, deposit, schedule, unlockTs, amounts, cancelable, transferable, reference] = fields(8);
      const s = parseSchedule(schedule as Native);
      if (!Array.isArray(unlockTs) || !Array.isArray(amounts) || unlockTs.length !== amounts.length)
        bad(name, "tranche vectors differ in length");
      const tranches = unlockTs.map((u, i) => ({ unlockTs: big(u), amount: big(amounts[i]) }));
      if (typeof cancelable !== "boolean" || typeof transferable !== "boolean")
        bad(name, "expected boolean flags");
      return {
        ...base,
        type: "created",
        sender: str(t[2]),
        recipient: str(t[3]),
        token: str(token),
        kind: s.kind,
        deposit: big(deposit),
        schedule: s,
        tranches,
        cancelable,
        transferable,
        reference: reference instanceof Uint8Array ? new Uint8Array(reference) : bad(name, "expected bytes"),
      };
    }
    case "withdrawn": {
      const [to, amount] = fields(2);
      return { ...base, type: "withdrawn", to: str(to), amount: big(amount) };
    }
    case "settled":
      return { ...base, type: "settled", amount: big(d) };
    case "settle_skipped":
      return { ...base, type: "settleSkipped", amount: big(d) };
    case "cancel_skipped":
      return {
        ...base,
        type: "cancelSkipped",
        error: typeof d === "number" ? d : bad(name, "expected a u32 code"),
      };
    case "voided": {
      const [refunded, forfeited] = fields(2);
      return { ...base, type: "voided", refunded: big(refunded), forfeited: big(forfeited) };
    }
    case "canceled": {
      const [refunded, owed] = fields(2);
      return { ...base, type: "canceled", refunded: big(refunded), owed: big(owed) };
    }
    case "topped_up": {
      const [from, amount] = fields(2);
      return { ...base, type: "toppedUp", from: str(from), amount: big(amount) };
    }
    case "paused":
      return { ...base, type: "paused", accrued: big(d) };
    case "resumed":
      return { ...base, type: "resumed" };
    case "rate_set": {
      const [oldRate, newRate] = fields(2);
      return { ...base, type: "rateSet", oldAmountPerPeriod: big(oldRate), newAmountPerPeriod: big(newRate) };
    }
    case "refunded":
      return { ...base, type: "refunded", amount: big(d) };
    case "transferred":
      return { ...base, type: "transferred", from: str(t[2]), to: str(t[3]) };
    case "renounced":
      return { ...base, type: "renounced" };
    default:
      return null;
  }
}

/**
 * The amount `settle_many` paid per id, in order, from its `settled` events (the
 * contract returns only the total, to keep the return value out of the event
 * budget): each `settled` event pays the first id in the batch it names that has
 * not been matched yet; ids without one paid 0.
 */
export function settledPerId(ids: readonly bigint[], events: readonly StreamEvent[]): bigint[] {
  const paid = new Map<bigint, bigint[]>();
  for (const e of events) {
    if (e.type !== "settled") continue;
    const q = paid.get(e.id) ?? [];
    q.push(e.amount);
    paid.set(e.id, q);
  }
  return ids.map((id) => paid.get(id)?.shift() ?? 0n);
}

/** Decodes the events a transaction emitted from `contractId` (from its meta). */
export function decodeContractEvents(
  events: xdr.ContractEvent[],
  contractId: string,
  meta: Omit<EventMeta, "id"> = {},
): StreamEvent[] {
  const out: StreamEvent[] = [];
  for (const e of events) {
    const cid = e.contractId();
    if (!cid) continue;
    // Compare as strkeys: the event names its contract by hash.
    if (contractStrkey(cid) !== contractId) continue;
    const body = e.body().v0();
    const ev = decodeEvent(body.topics(), body.data(), meta);
    if (ev) out.push(ev);
  }
  return out;
}

function contractStrkey(hash: unknown): string {
  return StrKey.encodeContract(Buffer.from(hash as Uint8Array));
}
