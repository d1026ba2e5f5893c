/**
 * Wire types: how the contract's types are laid out as Soroban `ScVal`s, with an
 * encoder or a parser next to each. Parsers check the shape and throw
 * {@link DecodeError} on anything unexpected rather than returning half-decoded data.
 *
 * Layout rules (soroban-sdk `#[contracttype]`): a struct is a map keyed by field-name
 * symbols in sorted order; an enum variant with data is `vec[symbol(name), data]`; a
 * `#[repr(u32)]` unit enum (`Status`) is a `u32`; `Option::None` is `void`.
 */

import { Address, nativeToScVal, scValToNative, xdr } from "@stellar/stellar-sdk";
import { Buffer } from "buffer";
import { DecodeError } from "../errors.js";
import type {
  Amounts,
  CreateParams,
  Schedule,
  ScheduleParams,
  StatusView,
  Stream,
  StreamState,
  StreamStatus,
  Tranche,
} from "../types.js";

// ---------------------------------------------------------------- encoders

export const u64 = (v: bigint): xdr.ScVal => nativeToScVal(v, { type: "u64" });
export const i128 = (v: bigint): xdr.ScVal => nativeToScVal(v, { type: "i128" });
export const u32 = (v: number): xdr.ScVal => xdr.ScVal.scvU32(v);
export const sym = (s: string): xdr.ScVal => xdr.ScVal.scvSymbol(s);
export const addr = (s: string): xdr.ScVal => new Address(s).toScVal();
export const bool = (b: boolean): xdr.ScVal => xdr.ScVal.scvBool(b);
export const vec = (items: xdr.ScVal[]): xdr.ScVal => xdr.ScVal.scvVec(items);
export const bytes = (b: Uint8Array): xdr.ScVal => xdr.ScVal.scvBytes(Buffer.from(b));

/** A `#[contracttype]` struct: a map with symbol keys in sorted order. */
export function struct(fields: Record<string, xdr.ScVal>): xdr.ScVal {
  const keys = Object.keys(fields).sort();
  return xdr.ScVal.scvMap(keys.map((k) => new xdr.ScMapEntry({ key: sym(k), val: fields[k]! })));
}

export function encodeTranche(t: Tranche): xdr.ScVal {
  return struct({ unlock_ts: u64(t.unlockTs), amount: i128(t.amount) });
}

export function encodeScheduleParams(s: ScheduleParams): xdr.ScVal {
  switch (s.kind) {
    case "linear":
      return vec([
        sym("Linear"),
        struct({
          start_ts: u64(s.startTs),
          cliff_ts: u64(s.cliffTs),
          end_ts: u64(s.endTs),
          deposit: i128(s.deposit),
          start_unlock: i128(s.startUnlock ?? 0n),
          cliff_unlock: i128(s.cliffUnlock ?? 0n),
        }),
      ]);
    case "linearIn":
      return vec([
        sym("LinearIn"),
        struct({
          start_in_s: u64(s.startInS),
          cliff_s: u64(s.cliffS),
          duration_s: u64(s.durationS),
          deposit: i128(s.deposit),
          start_unlock: i128(s.startUnlock ?? 0n),
          cliff_unlock: i128(s.cliffUnlock ?? 0n),
        }),
      ]);
    case "tranchedIn":
      return vec([
        sym("TranchedIn"),
        struct({
          start_in_s: u64(s.startInS),
          tranches: vec(s.tranches.map((t) => struct({ after_s: u64(t.afterS), amount: i128(t.amount) }))),
        }),
      ]);
    case "tranched":
      return vec([
        sym("Tranched"),
        struct({ start_ts: u64(s.startTs), tranches: vec(s.tranches.map(encodeTranche)) }),
      ]);
    case "openEnded":
      return vec([
        sym("OpenEnded"),
        struct({
          amount_per_period: i128(s.amountPerPeriod),
          period_s: u64(s.periodS),
          start_ts: u64(s.startTs),
          deposit: i128(s.deposit),
        }),
      ]);
  }
}

export function encodeCreateParams(p: CreateParams): xdr.ScVal {
  return struct({
    sender: addr(p.sender),
    recipient: addr(p.recipient),
    token: addr(p.token),
    schedule: encodeScheduleParams(p.schedule),
    cancelable: bool(p.cancelable),
    transferable: bool(p.transferable),
    reference: bytes(p.reference ?? new Uint8Array()),
  });
}

// ---------------------------------------------------------------- storage keys

/** `DataKey::Stream(id)`: persistent, holds the `Stream` record. */
export const streamKey = (id: bigint): xdr.ScVal => vec([sym("Stream"), u64(id)]);
/** `DataKey::Tranches(id)`: persistent, holds `Vec<Tranche>` (tranched streams only). */
export const tranchesKey = (id: bigint): xdr.ScVal => vec([sym("Tranches"), u64(id)]);
/** `InstanceKey::StreamCount`: in the instance storage map, holds `u64`. */
export const streamCountKey = (): xdr.ScVal => vec([sym("StreamCount")]);

/** The ledger key of a persistent contract-data entry. */
export function persistentLedgerKey(contractId: string, key: xdr.ScVal): xdr.LedgerKey {
  return xdr.LedgerKey.contractData(
    new xdr.LedgerKeyContractData({
      contract: new Address(contractId).toScAddress(),
      key,
      durability: xdr.ContractDataDurability.persistent(),
    }),
  );
}

/** The ledger key of the contract's instance (where `StreamCount` lives). */
export function instanceLedgerKey(contractId: string): xdr.LedgerKey {
  return persistentLedgerKey(contractId, xdr.ScVal.scvLedgerKeyContractInstance());
}

// ---------------------------------------------------------------- parsers

export type Native = unknown;

function fail(what: string, v: Native): never {
  throw new DecodeError(`cannot decode ${what} from ${stringify(v)}`);
}

function stringify(v: Native): string {
  try {
    return JSON.stringify(v, (_k, x) => (typeof x === "bigint" ? `${x}n` : x))?.slice(0, 300) ?? String(v);
  } catch {
    return String(v);
  }
}

function obj(what: string, v: Native): Record<string, Native> {
  if (!v || typeof v !== "object" || Array.isArray(v)) fail(what, v);
  return v as Record<string, Native>;
}

function big(what: string, v: Native): bigint {
  if (typeof v === "bigint") return v;
  if (typeof v === "number" && Number.isInteger(v)) return BigInt(v);
  return fail(what, v);
}

function str(what: string, v: Native): string {
  if (typeof v !== "string") fail(what, v);
  return v;
}

function boolean(what: string, v: Native): boolean {
  if (typeof v !== "boolean") fail(what, v);
  return v;
}

/** `ScVal` to plain JS (bigints for 64/128-bit integers, strkeys for addresses). */
export function native(v: xdr.ScVal): Native {
  return scValToNative(v);
}

const STATUS: readonly StreamStatus[] = ["active", "paused", "canceled", "voided"];
const STATUS_VIEW: readonly StatusView[] = [
  "pending",
  "streaming",
  "paused",
  "insolvent",
  "canceled",
  "voided",
  "finished",
];

/** Parses the `status` view's `StreamStatus` (a `u32`). */
export function parseStatusView(v: Native): StatusView {
  const s = typeof v === "number" ? STATUS_VIEW[v] : undefined;
  return s ?? fail("StreamStatus", v);
}

/** Parses the `status` view's `StreamState` (`{status, depletion_ts}`). */
export function parseStreamState(v: Native): StreamState {
  const o = obj("StreamState", v);
  return {
    status: parseStatusView(o.status),
    depletionTs:
      o.depletion_ts === null || o.depletion_ts === undefined ? null : big("depletion_ts", o.depletion_ts),
  };
}

/** Bytes as decoded by `scValToNative` (a Buffer, which is a Uint8Array). */
export function parseBytes(what: string, v: Native): Uint8Array {
  if (!(v instanceof Uint8Array)) fail(what, v);
  return new Uint8Array(v);
}

export function parseStatus(v: Native): StreamStatus {
  const s = typeof v === "number" ? STATUS[v] : undefined;
  return s ?? fail("Status", v);
}

export function parseSchedule(v: Native): Schedule {
  if (!Array.isArray(v) || v.length !== 2) fail("Schedule", v);
  const [tag, data] = v as [Native, Native];
  const o = obj("Schedule data", data);
  switch (tag) {
    case "Linear":
      return {
        kind: "linear",
        startTs: big("start_ts", o.start_ts),
        cliffTs: big("cliff_ts", o.cliff_ts),
        endTs: big("end_ts", o.end_ts),
        startUnlock: 0n,
        cliffUnlock: 0n,
      };
    case "LinearUnlock":
      return {
        kind: "linear",
        startTs: big("start_ts", o.start_ts),
        cliffTs: big("cliff_ts", o.cliff_ts),
        endTs: big("end_ts", o.end_ts),
        startUnlock: big("start_unlock", o.start_unlock),
        cliffUnlock: big("cliff_unlock", o.cliff_unlock),
      };
    case "Tranched":
      return {
        kind: "tranched",
        startTs: big("start_ts", o.start_ts),
        endTs: big("end_ts", o.end_ts),
        count: Number(big("count", o.count)),
      };
    case "OpenEnded":
      return {
        kind: "openEnded",
        amountPerPeriod: big("amount_per_period", o.amount_per_period),
        periodS: big("period_s", o.period_s),
        snapshotTs: big("snapshot_ts", o.snapshot_ts),
        accruedAtSnapshot: big("accrued_at_snapshot", o.accrued_at_snapshot),
        remainder: big("remainder", o.remainder),
      };
    default:
      return fail("Schedule variant", tag);
  }
}

/** Parses a `Stream` record (from `get`, `get_many` or a ledger entry) and attaches its id. */
export function parseStream(id: bigint, v: Native): Stream {
  const o = obj("Stream", v);
  return {
    id,
    sender: str("sender", o.sender),
    recipient: str("recipient", o.recipient),
    token: str("token", o.token),
    schedule: parseSchedule(o.schedule),
    cancelable: boolean("cancelable", o.cancelable),
    transferable: boolean("transferable", o.transferable),
    status: parseStatus(o.status),
    createdTs: big("created_ts", o.created_ts),
    canceledTs: big("canceled_ts", o.canceled_ts),
    deposited: big("deposited", o.deposited),
    withdrawn: big("withdrawn", o.withdrawn),
    refunded: big("refunded", o.refunded),
    reference: o.reference === undefined ? new Uint8Array() : parseBytes("reference", o.reference),
  };
}

export function parseTranches(v: Native): Tranche[] {
  if (!Array.isArray(v)) fail("Vec<Tranche>", v);
  return v.map((t) => {
    const o = obj("Tranche", t);
    return { unlockTs: big("unlock_ts", o.unlock_ts), amount: big("amount", o.amount) };
  });
}

/** `Option<T>`: `void` decodes to `null`/`undefined`. */
export function parseOption<T>(v: Native, parse: (x: Native) => T): T | null {
  return v === null || v === undefined ? null : parse(v);
}

export function parseAmounts(v: Native): Amounts {
  const o = obj("Amounts", v);
  return {
    accrued: big("accrued", o.accrued),
    withdrawable: big("withdrawable", o.withdrawable),
    debt: big("debt", o.debt),
    refundable: big("refundable", o.refundable),
    balance: big("balance", o.balance),
  };
}

export function parseBigint(what: string, v: Native): bigint {
  return big(what, v);
}

export function parseBigintVec(what: string, v: Native): bigint[] {
  if (!Array.isArray(v)) fail(what, v);
  return v.map((x) => big(what, x));
}
