/**
 * A list page of the connected address's streams, as recipient or as sender: the title with a
 * Refresh button, the read error, a sentence when there is none, and one card per stream once
 * its token's metadata and the ledger clock are known (the list carries the clock's anchor as
 * data attributes, which the e2e tests read).
 */
import type { StreamWithTranches, TokenMetadata } from "@tributary/sdk";
import type { ReactNode } from "react";
import { useStreams } from "../hooks.js";
import { useLedgerTime } from "../lib/clock.js";
import { useApp, useTokenMetadata } from "../state.js";
import { ConnectPrompt } from "./ConnectPrompt.js";

export function StreamList(p: {
  /** Which side of the streams the connected address is. */
  party: "recipient" | "sender";
  title: string;
  /** The heading's id (the section is labelled by it). */
  titleId: string;
  testId: string;
  /** Completes "Connect a wallet to ...". */
  connectTo: string;
  /** Shown when the address has no stream in this role. */
  empty(address: string): ReactNode;
  card(stream: StreamWithTranches, token: TokenMetadata, t: bigint, reload: () => Promise<void>): ReactNode;
}) {
  const { wallet } = useApp();
  const list = useStreams(p.party, wallet?.address);
  const meta = useTokenMetadata(list.data?.map((s) => s.token) ?? []);
  const t = useLedgerTime(list.anchor);
  if (!wallet) return <ConnectPrompt what={p.connectTo} />;
  return (
    <section aria-labelledby={p.titleId}>
      <div className="section-head">
        <h1 id={p.titleId}>{p.title}</h1>
        <button
          type="button"
          className="btn btn-secondary"
          onClick={() => void list.reload()}
          disabled={list.loading}
        >
          {list.loading ? "Reading the chain..." : "Refresh"}
        </button>
      </div>
      {list.error && (
        <p className="notice notice-error" role="alert">
          {list.error}
        </p>
      )}
      {list.data && list.data.length === 0 && <p className="empty">{p.empty(wallet.address)}</p>}
      <ul
        className="cards"
        data-testid={p.testId}
        aria-busy={list.loading}
        data-anchor-close-ts={list.anchor ? String(list.anchor.closeTs) : undefined}
        data-anchor-read-ms={list.anchor ? String(list.anchor.readAtMs) : undefined}
      >
        {list.data?.map((s) => {
          const m = meta.get(s.token);
          return (
            <li key={String(s.id)}>
              {m && t !== null ? (
                p.card(s, m, t, list.reload)
              ) : (
                <div className="card">Loading stream {String(s.id)}...</div>
              )}
            </li>
          );
        })}
      </ul>
    </section>
  );
}
