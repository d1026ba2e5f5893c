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
}
