import { WalletButtons } from "./WalletButtons.js";

export function ConnectPrompt({ what }: { what: string }) {
  return (
    <section className="hero" aria-labelledby="connect-title">
      <h1 id="connect-title">Connect a wallet to {what}</h1>
      <p>
        Tributary streams tokens every second on Stellar. Connect Freighter to see what is streaming to you
        and withdraw it. Any stream's page is readable without a wallet.
      </p>
      <WalletButtons />
    </section>
  );
}
