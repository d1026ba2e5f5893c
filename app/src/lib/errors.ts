/**
 * Every failure as a sentence a person understands: the SDK's named error classes
 * (and each contract error variant) map to a message; nothing shows a stack trace or
 * raw XDR. `unchanged` says whether the chain is known to be as it was.
 */
import {
  AccountNotFoundError,
  AuthorizationError,
  ContractError,
  FeeTooHighError,
  NetworkMismatchError,
  NoSignerError,
  NotAStreamContractError,
  RecipientCannotReceiveError,
  ResourceLimitExceededError,
  RpcError,
  SimulationError,
  TokenError,
  TransactionFailedError,
  TransactionRejectedError,
  TransactionTimeoutError,
  ValidationError,
  WalletError,
} from "@tributary/sdk";
import { AmountInputError } from "./amount.js";

/** Sentences for each contract error variant (`StreamError` in errors.rs), by variant name. */
export const CONTRACT_ERROR_SENTENCES: Record<string, string> = {
  InvalidAmount: "The amount must be more than zero.",
  InvalidTimeRange: "The end must be after the start.",
  InvalidCliff: "The cliff must fall between the start and the end.",
  DurationTooLong: "A schedule cannot span more than 100 years.",
  InvalidTrancheCount: "A schedule can have from 1 to 240 unlocks.",
  TranchesNotIncreasing: "Each unlock must come after the previous one and after the start.",
  InvalidTrancheSum: "The unlocks do not add up to a valid deposit.",
  InvalidPeriod: "The period must be a positive number of seconds.",
  RateTooHigh: "That rate is too high for the contract to account for safely.",
  EmptyBatch: "There is nothing to create.",
  BatchTooLarge: "Too many streams for one transaction.",
  StartInPast: "The start is in the past; pick a time from now on.",
  InvalidRecipient: "That address is already the recipient.",
  AmountExceedsWithdrawable: "That is more than you can withdraw right now.",
  AmountExceedsRefundable: "That is more than the stream's unaccrued balance.",
  AmountExceedsDebt: "A top-up of a canceled stream can only cover its debt.",
  DestinationIsContract:
    "The streaming contract itself cannot receive a stream or a payment; pick another address.",
  InvalidUnlockAmounts: "The unlock amounts cannot be negative or add up to more than the deposit.",
  ReferenceTooLong: "The reference is too long (at most 64 bytes).",
  NotSenderOrRecipient: "Only the stream's sender or recipient can do this.",
  StreamNotFound: "There is no stream with this id.",
  NotCancelable:
    "This stream cannot be canceled, paused, slowed, refunded or voided (created so, or the sender renounced).",
  NotTransferable: "This stream cannot be transferred.",
  StreamCanceled: "This stream has been canceled.",
  NotOpenEnded: "Only open-ended streams allow this.",
  StreamPaused: "This stream is paused.",
  NotPaused: "This stream is not paused.",
  StreamCompleted: "Everything has already been streamed; there is nothing left to cancel.",
  PaymentFailed: "The token refused the payment (the recipient may lack a trustline or be frozen).",
  TransferShortfall:
    "The token delivered less than was sent (a fee-on-transfer or rebasing token); nothing was changed.",
  StreamVoided: "This stream has been voided.",
  Overflow: "The amount is too large.",
};

const TOKEN_SENTENCES: Record<number, string> = {
  10: "The paying account does not hold enough of the token.",
  13: "The receiving account has no trustline for this token.",
  6: "The receiving account does not exist on this network.",
  11: "The token's issuer has frozen this account.",
};

const RECEIVE_PROBLEMS: Record<RecipientCannotReceiveError["recipients"][number]["problem"], string> = {
  accountMissing: "the account does not exist",
  trustlineMissing: "no trustline for the token",
  trustlineNotAuthorized: "its trustline is not authorized",
  balanceNotAuthorized: "its balance is not authorized",
};

export interface Explained {
  /** The sentence to show. */
  message: string;
  /** True when nothing was changed on chain for sure; false when the outcome is unknown. */
  unchanged: boolean;
}

/** Explains any error the dApp can meet. */
export function explainError(e: unknown): Explained {
  const sure = (message: string): Explained => ({ message, unchanged: true });
  if (e instanceof AmountInputError) return sure(e.message);
  if (e instanceof NetworkMismatchError)
    return sure(
      "Your wallet is on a different network than this app. Switch the wallet's network, then try again; nothing was signed.",
    );
  if (e instanceof WalletError) {
    if (/reject|declin|denied|cancel/i.test(e.message))
      return sure("You declined the signature in your wallet. Nothing was sent; nothing changed.");
    if (/not installed|not connected/i.test(e.message))
      return sure("Freighter is not installed or not connected to this site.");
    return sure("The wallet reported a problem and nothing was sent. Open the wallet and try again.");
  }
  if (e instanceof ValidationError)
    return sure(`Some input is not valid: ${e.issues.map((i) => `${i.path} ${i.message}`).join("; ")}.`);
  if (e instanceof ContractError)
    return sure(
      `${CONTRACT_ERROR_SENTENCES[e.variant] ?? `The contract refused the call (error ${e.code}).`} Nothing changed.`,
    );
  if (e instanceof TokenError)
    return sure(
      `${TOKEN_SENTENCES[e.code] ?? `The token contract refused the transfer (error ${e.code}).`} Nothing changed.`,
    );
  if (e instanceof AuthorizationError)
    return sure("The connected account is not allowed to do this on this stream. Nothing was sent.");
  if (e instanceof AccountNotFoundError)
    return sure("The connected account does not exist on this network yet; fund it first.");
  if (e instanceof FeeTooHighError) return sure("The network fee is higher than allowed; nothing was sent.");
  if (e instanceof NoSignerError) return sure("Connect a wallet first.");
  if (e instanceof SimulationError)
    return sure("The network could not simulate this transaction, so nothing was sent. Check the inputs.");
  if (e instanceof TransactionRejectedError)
    return sure("The network refused the transaction before applying it. Nothing changed.");
  if (e instanceof RecipientCannotReceiveError)
    return sure(
      `${e.recipients.length === 1 ? "A recipient cannot" : `${e.recipients.length} recipients cannot`} receive this token (${e.recipients
        .map((r) => `${r.address.slice(0, 4)}...${r.address.slice(-4)}: ${RECEIVE_PROBLEMS[r.problem]}`)
        .join("; ")}). Nothing was sent.`,
    );
  if (e instanceof NotAStreamContractError)
    return sure(
      "The configured contract is not a Tributary stream contract; check the app's network settings.",
    );
  if (e instanceof ResourceLimitExceededError)
    return sure(
      "The transaction ran out of the resources it declared and was not applied: nothing changed, but the network kept its fee. Try again or send less at once.",
    );
  if (e instanceof TransactionFailedError)
    return sure("The transaction failed on chain; its effects were rolled back and nothing changed.");
  if (e instanceof TransactionTimeoutError)
    return {
      message:
        "The transaction was sent but not confirmed in time. It may still land: the view re-reads the chain; check before trying again.",
      unchanged: false,
    };
  if (e instanceof RpcError) return sure("The network could not be reached. Nothing was sent; try again.");
  return sure("Something unexpected went wrong; nothing was sent.");
}
