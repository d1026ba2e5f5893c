/**
 * Ledger time for the ticking view. A read gives the latest ledger's close time; the
 * view then advances it by the wall-clock seconds elapsed since that read, so each
 * shown balance is the SDK mirror's exact value at a stated ledger second, and no RPC
 * call is made per tick. Shown balances lag the chain by at most one ledger close.
 */
import { useEffect, useState } from "react";

export interface ChainAnchor {
  /** Close time of the latest ledger at the read, unix seconds. */
  closeTs: bigint;
  /** `Date.now()` when that was read. */
  readAtMs: number;
}

/** Ledger seconds at wall time `nowMs`. */
export function ledgerTimeAt(anchor: ChainAnchor, nowMs: number): bigint {
  const elapsed = Math.max(0, Math.floor((nowMs - anchor.readAtMs) / 1000));
  return anchor.closeTs + BigInt(elapsed);
}

/** Re-renders every second with the current ledger time (null before the first read). */
export function useLedgerTime(anchor: ChainAnchor | null): bigint | null {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const t = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(t);
  }, []);
  return anchor ? ledgerTimeAt(anchor, now) : null;
}
