/** The devnet test wallet's buttons (devnet builds only; see devnet-wallet.ts). */
import { useState } from "react";
import { useApp } from "../state.js";
import { demoWallet, throwawayWallet } from "./devnet-wallet.js";

export default function DevnetWalletPanel() {
  const app = useApp();
  const [error, setError] = useState("");
  return (
    <div className="devnet-wallet" data-testid="devnet-test-wallet">
      <p className="devnet-label">
        <strong>Devnet test wallet</strong>: throwaway keys for this local network only, kept in this tab.
        Never use it for real funds.
      </p>
      <div className="devnet-buttons">
        {app.config.demoAccounts.map((a) => (
          <button
            key={a.name}
            type="button"
            className="btn btn-secondary"
            onClick={() => void app.connect(demoWallet(app.config, a.name))}
          >
            Use demo {a.name}
          </button>
        ))}
        <button
          type="button"
          className="btn btn-secondary"
          onClick={async () => {
            try {
              await app.connect(await throwawayWallet(app.config));
            } catch (e) {
              setError((e as Error).message);
            }
          }}
        >
          New throwaway account
        </button>
      </div>
      {error && <p className="notice notice-error">{error}</p>}
    </div>
  );
}
