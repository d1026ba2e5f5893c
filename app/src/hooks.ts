/** Chain reads for the views: stream lists and single streams with the ledger anchor. */
import type { StreamWithTranches } from "@tributary/sdk";
import { useCallback, useEffect, useState } from "react";
import type { ChainAnchor } from "./lib/clock.js";
import { explainError } from "./lib/errors.js";
import { useApp } from "./state.js";

export interface Loaded<T> {
  data: T | null;
  anchor: ChainAnchor | null;
  error: string | null;
  loading: boolean;
  reload(): Promise<void>;
}

function useLoad<T>(load: () => Promise<T>, deps: unknown[]): Loaded<T> {
  const { reader } = useApp();
  const [state, setState] = useState<{
    data: T | null;
    anchor: ChainAnchor | null;
    error: string | null;
    loading: boolean;
  }>({
    data: null,
    anchor: null,
    error: null,
    loading: true,
  });
  // biome-ignore lint/correctness/useExhaustiveDependencies: the caller lists what `load` depends on
  const reload = useCallback(async () => {
    setState((s) => ({ ...s, loading: true }));
    try {
      // The clock first, then the entries: the records are at least as new as the anchor.
      const ledger = await reader.latestLedger();
      const readAtMs = Date.now();
      const data = await load();
      setState({ data, anchor: { closeTs: ledger.closeTs, readAtMs }, error: null, loading: false });
    } catch (e) {
      setState((s) => ({ ...s, error: explainError(e).message, loading: false }));
    }
  }, [reader, ...deps]);
  useEffect(() => {
    void reload();
  }, [reload]);
  return { ...state, reload };
}

/** Streams whose recipient (or sender) is `address`, found by the SDK's ledger-entry discovery. */
export function useStreams(
  role: "recipient" | "sender",
  address: string | undefined,
): Loaded<StreamWithTranches[]> {
  const { reader } = useApp();
  return useLoad(
    async () => (address ? reader.listStreams({ [role]: address, withTranches: true }) : []),
    [role, address],
  );
}

/** One stream by id (null when there is none). */
export function useStream(id: bigint): Loaded<StreamWithTranches | null> {
  const { reader } = useApp();
  return useLoad(() => reader.readStream(id), [id]);
}
