/**
 * Domain types: the contract's types (`contracts/stream/src/types.rs`) as plain
 * TypeScript objects. Amounts are token base units as `bigint` (i128 on chain);
 * instants are unix seconds as `bigint` (u64, suffix `Ts`), durations seconds (suffix `S`);
 * stream ids are `bigint` (u64). Addresses are strkeys (`G...` accounts, `C...` contracts).
 *
 * @module types
 */

/** A strkey: `G...` (account) or `C...` (contract). */
export type AddressString = string;

/**
 * An integer as inputs accept it: a `bigint`, a safe-integer `number` or a decimal
 * string (`"1000"`). Outputs are always `bigint`.
 */
export type IntegerInput = bigint | number | string;

/** A stream id as inputs accept it (`>= 1`). */
export type StreamIdInput = IntegerInput;

/** One unlock of a tranched stream. */
export interface Tranche {
  /** Unix seconds at which `amount` unlocks. */
  unlockTs: bigint;
  /** Base units. */
  amount: bigint;
}

/**
 * Linear schedule with an optional cliff and optional unlock amounts, as passed to
 * `create`. `startTs = 0n` starts the stream when the creating transaction lands
 * (`cliffTs = 0n` then means no cliff).
 */
export interface LinearParams {
  kind: "linear";
  startTs: bigint;
  /** Nothing beyond `startUnlock` is withdrawable before it; `startTs` for no cliff. */
  cliffTs: bigint;
  endTs: bigint;
  /** Base units, pulled from the sender at creation. */
  deposit: bigint;
  /** Base units unlocked at `startTs` (default 0). */
  startUnlock?: bigint;
  /** Base units unlocked at `cliffTs` (default 0); the rest streams linearly over `[startTs, endTs]`. */
  cliffUnlock?: bigint;
}

/**
 * A linear schedule timed from when the creating transaction lands (`LinearInParams`):
 * it starts `startInS` seconds later (0 = at once), the cliff is `cliffS` after the
 * start and the end `durationS` after it. A multisig that signs days later does not
 * create a stream whose start is in the past.
 */
export interface LinearInParams {
  kind: "linearIn";
  startInS: bigint;
  cliffS: bigint;
  durationS: bigint;
  deposit: bigint;
  startUnlock?: bigint;
  cliffUnlock?: bigint;
}

/** One unlock of a {@link TranchedInParams} schedule: `afterS` seconds after its start. */
export interface TrancheIn {
  afterS: bigint;
  amount: bigint;
}

/** A tranched schedule timed from when the creating transaction lands (`TranchedInParams`). */
export interface TranchedInParams {
  kind: "tranchedIn";
  startInS: bigint;
  tranches: TrancheIn[];
}

/** Ordered unlocks whose amounts are the deposit, as passed to `create` (`startTs = 0n`: when it lands). */
export interface TranchedParams {
  kind: "tranched";
  startTs: bigint;
  tranches: Tranche[];
}

/** `amountPerPeriod` base units every `periodS` seconds, as passed to `create`. */
export interface OpenEndedParams {
  kind: "openEnded";
  amountPerPeriod: bigint;
  periodS: bigint;
  /** Unix seconds; `0n` = when the creating transaction lands. Must not be in the past. */
  startTs: bigint;
  /** Base units, positive (the deposit proves the token is a token); top up later with `topUp`. */
  deposit: bigint;
}

/** The schedule of a new stream (`ScheduleParams` in the contract). */
export type ScheduleParams =
  | LinearParams
  | TranchedParams
  | OpenEndedParams
  | LinearInParams
  | TranchedInParams;

/** Everything `create` needs (`CreateParams` in the contract). */
export interface CreateParams {
  sender: AddressString;
  recipient: AddressString;
  /** Any SEP-41 token contract (`C...`), e.g. a Stellar Asset Contract. */
  token: AddressString;
  schedule: ScheduleParams;
  cancelable: boolean;
  transferable: boolean;
  /** Accounting reference kept in the record and the `created` event (at most 64 bytes; default empty). */
  reference?: Uint8Array;
}

/** A {@link Tranche} as inputs accept it. */
export interface TrancheInput {
  unlockTs: IntegerInput;
  amount: IntegerInput;
}

/**
 * {@link LinearParams} as `create` accepts it: `cliffTs` defaults to `startTs` (no cliff),
 * the unlock amounts to 0.
 */
export interface LinearParamsInput {
  kind: "linear";
  startTs: IntegerInput;
  cliffTs?: IntegerInput;
  endTs: IntegerInput;
  deposit: IntegerInput;
  startUnlock?: IntegerInput;
  cliffUnlock?: IntegerInput;
}

/** {@link LinearInParams} as `create` accepts it: `cliffS` and the unlock amounts default to 0. */
export interface LinearInParamsInput {
  kind: "linearIn";
  startInS: IntegerInput;
  cliffS?: IntegerInput;
  durationS: IntegerInput;
  deposit: IntegerInput;
  startUnlock?: IntegerInput;
  cliffUnlock?: IntegerInput;
}

/** A {@link TrancheIn} as inputs accept it. */
export interface TrancheInInput {
  afterS: IntegerInput;
  amount: IntegerInput;
}

/** {@link TranchedInParams} as `create` accepts it. */
export interface TranchedInParamsInput {
  kind: "tranchedIn";
  startInS: IntegerInput;
  tranches: TrancheInInput[];
}

/** {@link TranchedParams} as `create` accepts it. */
export interface TranchedParamsInput {
  kind: "tranched";
  startTs: IntegerInput;
  tranches: TrancheInput[];
}

/** {@link OpenEndedParams} as `create` accepts it: `startTs` defaults to 0 (when it lands); `deposit` must be positive. */
export interface OpenEndedParamsInput {
  kind: "openEnded";
  amountPerPeriod: IntegerInput;
  periodS: IntegerInput;
  startTs?: IntegerInput;
  deposit: IntegerInput;
}

/** {@link ScheduleParams} as `create` accepts it (the builders' output is one). */
export type ScheduleParamsInput =
  | LinearParamsInput
  | TranchedParamsInput
  | OpenEndedParamsInput
  | LinearInParamsInput
  | TranchedInParamsInput;

/** {@link CreateParams} as `create` and `createBatch` accept it. */
export interface CreateParamsInput {
  sender: AddressString;
  recipient: AddressString;
  /** Any SEP-41 token contract (`C...`), e.g. a Stellar Asset Contract. */
  token: AddressString;
  schedule: ScheduleParamsInput;
  cancelable: boolean;
  transferable: boolean;
  /** Accounting reference: bytes, or a string taken as UTF-8 (at most 64 bytes; default empty). */
  reference?: Uint8Array | string;
}

/** Stored linear schedule; the deposit is `Stream.deposited`. */
export interface LinearSchedule {
  kind: "linear";
  startTs: bigint;
  cliffTs: bigint;
  endTs: bigint;
  /** Unlocked at `startTs` (absent or 0n for a plain linear stream, stored as `Linear`; else `LinearUnlock`). */
  startUnlock?: bigint;
  /** Unlocked at `cliffTs` (absent = 0n). */
  cliffUnlock?: bigint;
}

/** Stored tranched schedule; the tranches themselves are read with `getTranches`. */
export interface TranchedSchedule {
  kind: "tranched";
  startTs: bigint;
  /** The last unlock. */
  endTs: bigint;
  count: number;
}

/** Stored open-ended rate with its accrual snapshot (`Rate` in the contract). */
export interface OpenEndedSchedule {
  kind: "openEnded";
  amountPerPeriod: bigint;
  periodS: bigint;
  snapshotTs: bigint;
  accruedAtSnapshot: bigint;
  /** Carried fraction in units of `1 / periodS` base unit (`< periodS`). */
  remainder: bigint;
}

/** A stored schedule (`Schedule` in the contract). */
export type Schedule = LinearSchedule | TranchedSchedule | OpenEndedSchedule;

/**
 * The stored status. `active`: accruing per schedule (fixed streams may be before
 * their start or past their end). `paused`: open-ended only, stopped by the sender,
 * resumable. `canceled`: stopped for good; what accrued stays owed to the recipient.
 * `voided`: open-ended only, stopped for good with the unfunded debt forfeited.
 */
export type StreamStatus = "active" | "paused" | "canceled" | "voided";

/** What a stream is doing at an instant: the contract's `status` view (`StreamStatus` there). */
export type StatusView =
  | "pending"
  | "streaming"
  | "paused"
  | "insolvent"
  | "canceled"
  | "voided"
  | "finished";

/** The contract's `status` view (`StreamState`): what a stream is doing and when it runs dry. */
export interface StreamState {
  status: StatusView;
  /** Active open-ended streams: the first second it owes more than it holds; `null` otherwise. */
  depletionTs: bigint | null;
}

/** One stream record (`Stream` in the contract) plus its id. */
export interface Stream {
  id: bigint;
  sender: AddressString;
  recipient: AddressString;
  token: AddressString;
  schedule: Schedule;
  cancelable: boolean;
  transferable: boolean;
  status: StreamStatus;
  createdTs: bigint;
  /** Fixed streams: the instant accrual stopped by `cancel` (0 while not canceled). */
  canceledTs: bigint;
  /** Total paid in: the deposit plus top-ups. */
  deposited: bigint;
  /** Total paid to recipients (withdrawals and settlements). */
  withdrawn: bigint;
  /** Total returned to the sender. */
  refunded: bigint;
  /** The sender's accounting reference (empty when none; absent in records built by hand). */
  reference?: Uint8Array;
}

/** Every amount of a stream at one instant (the `amounts` view). */
export interface Amounts {
  /** Total accrued since the start (paid or not, funded or not). */
  accrued: bigint;
  /** What the recipient can take now. */
  withdrawable: bigint;
  /** Owed but unfunded (open-ended streams only). */
  debt: bigint;
  /** Unaccrued funds the sender may take back (open-ended) or would get on cancel (fixed). */
  refundable: bigint;
  /** `deposited - withdrawn - refunded`: what the contract holds for this stream. */
  balance: bigint;
}
