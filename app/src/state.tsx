/**
 * App-wide state: the configuration, read-only SDK clients, the connected wallet and
 * whether its network matches the app's. Writes get a StreamClient signing with the
 * wallet, and only while the networks match (a mismatch blocks every action with a
 * banner before anything is signed).
 */
import { StreamClient, type TokenMetadata, TokenReader } from "@tributary/sdk";
import { createContext, type ReactNode, useCallback, useContext, useEffect, useMemo, useState } from "react";
import type { AppConfig } from "./lib/config.js";
import type { Wallet } from "./wallet/types.js";

export interface NetworkCheck {
  /** The wallet's passphrase, when known. */
  walletPassphrase: string | null;
  ok: boolean;
}

export interface AppState {
  config: AppConfig;
  reader: StreamClient;
  tokens: TokenReader;
  wallet: Wallet | null;
  network: NetworkCheck;
  connect(w: Wallet): Promise<void>;
  disconnect(): void;
  /** A client that signs with the wallet; throws when none is connected or the network is wrong. */
  writer(): StreamClient;
  recheckNetwork(): Promise<void>;
}

const Ctx = createContext<AppState | null>(null);

export function useApp(): AppState {
  const s = useContext(Ctx);
  if (!s) throw new Error("useApp outside AppProvider");
  return s;
}

/** Metadata of each token in `ids`, loaded once per token. */
export function useTokenMetadata(ids: string[]): Map<string, TokenMetadata> {
  const { tokens } = useApp();
  const [meta, setMeta] = useState(new Map<string, TokenMetadata>());
  const key = [...new Set(ids)].sort().join(",");
  useEffect(() => {
    let live = true;
    const wanted = key ? key.split(",") : [];
    void Promise.all(wanted.map((t) => tokens.metadata(t).then((m) => [t, m] as const))).then(
      (pairs) => live && setMeta(new Map(pairs)),
      () => undefined,
    );
    return () => {
      live = false;
    };
  }, [key, tokens]);
  return meta;
}

export function AppProvider({ config, children }: { config: AppConfig; children: ReactNode }) {
  const reader = useMemo(
    () => new StreamClient({ network: config.network, contractId: config.contractId }),
    [config],
  );
  const tokens = useMemo(
    () => new TokenReader({ network: config.network, server: reader.server }),
    [config, reader],
  );
  const [wallet, setWallet] = useState<Wallet | null>(null);
  const [network, setNetwork] = useState<NetworkCheck>({ walletPassphrase: null, ok: true });

  const check = useCallback(
    async (w: Wallet | null) => {
      if (!w) return setNetwork({ walletPassphrase: null, ok: true });
      try {
        const pp = await w.networkPassphrase();
        setNetwork({ walletPassphrase: pp, ok: pp === config.network.passphrase });
      } catch {
        setNetwork({ walletPassphrase: null, ok: false });
      }
    },
    [config],
  );

  useEffect(() => {
    if (!wallet) return;
    const on = () => void check(wallet);
    window.addEventListener("focus", on);
    const t = setInterval(on, 5000);
    return () => {
      window.removeEventListener("focus", on);
      clearInterval(t);
    };
  }, [wallet, check]);

  const state: AppState = {
    config,
    reader,
    tokens,
    wallet,
    network,
    async connect(w) {
      setWallet(w);
      await check(w);
    },
    disconnect() {
      setWallet(null);
      setNetwork({ walletPassphrase: null, ok: true });
    },
    writer() {
      if (!wallet) throw new Error("no wallet");
      if (!network.ok) throw new Error("wallet network mismatch");
      return new StreamClient({
        network: config.network,
        contractId: config.contractId,
        server: reader.server,
        signer: wallet.signer,
      });
    },
    recheckNetwork: () => check(wallet),
  };
  return <Ctx.Provider value={state}>{children}</Ctx.Provider>;
}
