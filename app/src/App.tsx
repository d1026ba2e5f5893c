/** The shell: header with navigation and wallet, the network banner, and the routes. */

import { Link } from "./components/Link.js";
import { WalletButtons } from "./components/WalletButtons.js";
import { useRoute } from "./lib/router.js";
import { Create } from "./routes/Create.js";
import { Incoming, short } from "./routes/Incoming.js";
import { Outgoing } from "./routes/Outgoing.js";
import { StreamPage } from "./routes/StreamPage.js";
import { useApp } from "./state.js";

function NetworkBanner() {
  const { wallet, network, config, recheckNetwork } = useApp();
  if (!wallet || network.ok) return null;
  return (
    <div className="banner" role="alert" data-testid="network-banner">
      <strong>Wrong network.</strong> This app works on <b>{config.network.name}</b> (passphrase "
      {config.network.passphrase}"), but your wallet is on{" "}
      {network.walletPassphrase ? `"${network.walletPassphrase}"` : "an unknown network"}. Switch the network
      in your wallet; until then every action is disabled and nothing will be signed.{" "}
      <button type="button" className="btn btn-secondary btn-small" onClick={() => void recheckNetwork()}>
        Check again
      </button>
    </div>
  );
}

const NAV = [
  { to: "/", label: "Incoming", route: "incoming" },
  { to: "/outgoing", label: "Outgoing", route: "outgoing" },
  { to: "/create", label: "Create", route: "create" },
] as const;

export function App() {
  const route = useRoute();
  const { wallet, disconnect, config } = useApp();
  return (
    <>
      <a className="skip" href="#main">
        Skip to content
      </a>
      <header className="top">
        <Link to="/" className="brand">
          Tributary
        </Link>
        <nav aria-label="Main">
          <ul>
            {NAV.map((n) => (
              <li key={n.to}>
                <Link to={n.to} className={route.name === n.route ? "active" : ""}>
                  <span aria-current={route.name === n.route ? "page" : undefined}>{n.label}</span>
                </Link>
              </li>
            ))}
          </ul>
        </nav>
        <div className="wallet">
          <span className="net" data-testid="app-network">
            {config.network.name}
          </span>
          {wallet ? (
            <>
              <span className="addr" title={wallet.address} data-testid="wallet-address">
                {wallet.label}: {short(wallet.address)}
              </span>
              <button type="button" className="btn btn-secondary btn-small" onClick={disconnect}>
                Disconnect
              </button>
            </>
          ) : null}
        </div>
      </header>
      <NetworkBanner />
      <main id="main">
        {route.name === "incoming" && <Incoming />}
        {route.name === "outgoing" && <Outgoing />}
        {route.name === "create" && <Create />}
        {route.name === "stream" && <StreamPage id={route.id} />}
        {route.name === "notFound" && (
          <section>
            <h1>Page not found</h1>
            <p>
              Nothing lives at {route.path}. <Link to="/">Go to your incoming streams</Link>.
            </p>
          </section>
        )}
        {!wallet && route.name !== "incoming" && route.name !== "stream" && (
          <aside className="connect-aside" aria-label="Connect a wallet">
            <WalletButtons />
          </aside>
        )}
      </main>
      <footer className="foot">
        Balances are computed exactly from the on-chain schedule at the ledger time shown; amounts are in
        token units.
      </footer>
    </>
  );
}
