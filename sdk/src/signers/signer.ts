/** The one interface every signer implements (servers and browsers alike). */
export interface Signer {
  /** The account (`G...`) that signs: the transaction source and the authorizing address. */
  publicKey(): Promise<string>;
  /**
   * Signs a transaction envelope (base64 XDR) for `networkPassphrase` and returns the
   * signed envelope (base64 XDR). Implementations must refuse a passphrase that is not
   * their network's ({@link NetworkMismatchError}).
   */
  signTransaction(xdr: string, opts: { networkPassphrase: string }): Promise<string>;
  /**
   * Signs a Soroban authorization entry for calls this signer authorizes but does not
   * submit (another account is the transaction source: a relayer paying the fees, or
   * a batch with several senders). `preimageXdr` is the entry's `HashIdPreimage`
   * (base64 XDR); returns the ed25519 signature of its SHA-256 hash, base64.
   */
  signAuthEntry?(preimageXdr: string, opts: { networkPassphrase: string }): Promise<string>;
}
