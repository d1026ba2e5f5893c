/**
 * Wallet choices: Freighter always; on devnet builds only, the devnet test wallet.
 * The devnet panel is imported behind the compile-time `__DEVNET__` flag, so other
 * builds drop it (app/test/unit/bundle.test.ts checks the production bundle).
 */
import { lazy, Suspense, useState } from "react";
import { explainError } from "../lib/errors.js";
import { useApp } from "../state.js";
import { connectFreighter } from "../wallet/freighter.js";

declare const __DEVNET__: boolean;
const DevnetWalletPanel = __DEVNET__ ? lazy(() => import("../wallet/DevnetWalletPanel.js")) : null;

export function WalletButtons() {
  const app = useApp();
  const [error, setError] = useState("");
  return (
    <div className="wallet-buttons">
      <button
        type="button"
        className="btn btn-primary"
        data-testid="connect-freighter"
        onClick={async () => {
          setError("");
          try {
            await app.connect(await connectFreighter(app.config.network.passphrase));
          } catch (e) {
            setError(explainError(e).message);
          }
        }}
      >
        Connect Freighter
      </button>
      {error && (
        <p className="notice notice-error" role="alert">
          {error}
        </p>
      )}
      {DevnetWalletPanel && (
        <Suspense fallback={null}>
          <DevnetWalletPanel />
        </Suspense>
      )}
    </div>
  );
}
