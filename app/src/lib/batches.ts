/**
 * Creates many streams with as few `create_batch` transactions as the network's
 * limits allow: it starts with the largest batch the contract accepts and halves a
 * batch the network refuses as too large (resource limits found by simulation), so
 * the batch size is learned from the real limits rather than guessed. Batches land
 * atomically; on any other failure it stops and reports exactly which rows landed
 * (with their stream ids) and which did not, so a retry sends only the rest.
 */
import {
  BatchTooLargeError,
  MAX_BATCH,
  SimulationError,
  TransactionFailedError,
  TransactionRejectedError,
  TransactionTimeoutError,
} from "@tributary/sdk";

export interface BatchOutcome<R> {
  landed: { row: R; id: bigint }[];
  /** Rows not created (the failing batch and everything after it). */
  notCreated: R[];
  /** Rows whose batch was sent but not confirmed in time: may or may not have landed. */
  unknown: R[];
  error: unknown;
  transactions: number;
}

/** True when the network refused a batch for its size (resources), not for its content. */
export function isTooLarge(e: unknown): boolean {
  if (e instanceof BatchTooLargeError) return true;
  const text =
    e instanceof SimulationError
      ? e.detail
      : e instanceof TransactionRejectedError
        ? e.resultCode
        : e instanceof TransactionFailedError
          ? e.message
          : "";
  return /limit|exceed|resource|budget|too large|txSorobanInvalid/i.test(text);
}

export async function createInBatches<R>(
  rows: R[],
  send: (batch: R[]) => Promise<bigint[]>,
  opts: { maxBatch?: number; onProgress?: (done: number, total: number, batchSize: number) => void } = {},
): Promise<BatchOutcome<R>> {
  let size = Math.min(opts.maxBatch ?? MAX_BATCH, MAX_BATCH);
  const landed: { row: R; id: bigint }[] = [];
  let i = 0;
  let transactions = 0;
  while (i < rows.length) {
    const batch = rows.slice(i, i + size);
    opts.onProgress?.(i, rows.length, batch.length);
    try {
      const ids = await send(batch);
      transactions++;
      for (const [k, row] of batch.entries()) landed.push({ row, id: ids[k]! });
      i += batch.length;
    } catch (e) {
      if (isTooLarge(e) && batch.length > 1) {
        size = Math.ceil(batch.length / 2);
        continue;
      }
      const timedOut = e instanceof TransactionTimeoutError;
      return {
        landed,
        unknown: timedOut ? batch : [],
        notCreated: timedOut ? rows.slice(i + batch.length) : rows.slice(i),
        error: e,
        transactions,
      };
    }
  }
  opts.onProgress?.(rows.length, rows.length, 0);
  return { landed, notCreated: [], unknown: [], error: null, transactions };
}
