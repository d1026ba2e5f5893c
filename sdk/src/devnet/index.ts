/**
 * `@tributary/sdk/devnet`: a local network in a few calls, for development and tests
 * against the Tributary devnet (or any standalone network with a friendbot): fund
 * accounts, deploy the stream contract (the Wasm shipped in this package), issue a test
 * token (a classic asset with its Stellar Asset Contract) with trustlines and balances,
 * and warp ledger time. Every transaction goes through the same pipeline as
 * `StreamClient` writes.
 *
 * ```ts
 * const dev = await Devnet.connect({ rpcUrl: "http://127.0.0.1:8000/rpc" });
 * const contractId = await dev.deployStreamContract();
 * const usdc = await dev.issueToken({ code: "USDC" });
 * const employer = await dev.newAccount({ token: usdc, mint: 10_000n * 10_000_000n });
 * await dev.warp(30n * 86_400n);
 * ```
 *
 * @module devnet
 */

import { Asset, AuthRevocableFlag, Keypair, Operation, type rpc, type xdr } from "@stellar/stellar-sdk";
import { deployStreamContract } from "../client/deploy.js";
import { createRpcServer } from "../client/rpc-server.js";
import { StreamClient, type StreamClientOptions } from "../client/stream-client.js";
import { type TransactOptions, type TxEnv, txSettings } from "../client/tx/context.js";
import { type Submitted, submit } from "../client/tx/pipeline.js";
import { rpcCall } from "../client/tx/rpc-call.js";
import * as w from "../client/wire.js";
import { RpcError, ValidationError } from "../errors.js";
import { type Network, network } from "../networks.js";
import { KeypairSigner } from "../signers/keypair.js";
import type { Signer } from "../signers/signer.js";
import { TokenReader } from "../token.js";

/** Options for {@link Devnet.connect}. */
export interface DevnetOptions extends TransactOptions {
  /** The devnet's JSON-RPC URL. Default `http://127.0.0.1:8000/rpc` (`npm start`). */
  rpcUrl?: string;
  /** Default: asked of the RPC (`getNetwork`). */
  passphrase?: string;
  /** Default: next to the RPC (`.../friendbot`). */
  friendbotUrl?: string;
  /** Use this RPC client instead of creating one. */
  server?: rpc.Server;
}

/** A funded throwaway account: its keys and a signer for it. */
export interface DevAccount {
  /** `G...` */
  address: string;
  keypair: Keypair;
  signer: KeypairSigner;
}

/** Options for {@link Devnet.newAccount}. */
export interface NewAccountOptions {
  /** Add a trustline to this token (default: none). */
  token?: TestToken;
  /** And mint this many base units of it (needs `token`). */
  mint?: bigint;
}

/** A classic asset with its Stellar Asset Contract, issued by a devnet account. */
export class TestToken {
  readonly #dev: Devnet;
  /** The classic asset (`code:issuer`). */
  readonly asset: Asset;
  /** The asset's Stellar Asset Contract (`C...`): what streams name as `token`. */
  readonly contractId: string;
  /** The issuing account: mints by paying, burns by being paid. */
  readonly issuer: DevAccount;

  constructor(dev: Devnet, asset: Asset, issuer: DevAccount) {
    this.#dev = dev;
    this.asset = asset;
    this.contractId = asset.contractId(dev.network.passphrase);
    this.issuer = issuer;
  }

  /** Adds `account`'s trustline to the asset (`changeTrust`, signed by the account). */
  async trust(account: DevAccount | Signer): Promise<void> {
    const signer = "signer" in account ? account.signer : account;
    await this.#dev.submit(signer, Operation.changeTrust({ asset: this.asset }), "changeTrust");
  }

  /** Pays `amount` base units from the issuer to `to` (an account with a trustline, or a contract). */
  async mint(to: string, amount: bigint): Promise<void> {
    if (amount <= 0n)
      throw new ValidationError("mint", [
        { path: "amount", message: "must be a positive amount in base units" },
      ]);
    const op = to.startsWith("C")
      ? Operation.invokeContractFunction({
          contract: this.contractId,
          function: "mint",
          args: [w.addr(to), w.i128(amount)],
        })
      : Operation.payment({ destination: to, asset: this.asset, amount: toDecimal7(amount) });
    await this.#dev.submit(this.issuer.signer, op, "mint");
  }

  /** `address`'s balance in base units (the SAC's `balance`; 0 without a trustline or balance entry). */
  balance(address: string): Promise<bigint> {
    return new TokenReader({ network: this.#dev.network, server: this.#dev.server }).balance(
      this.contractId,
      address,
    );
  }

  /**
   * Authorizes or deauthorizes `address`'s right to hold the asset, signed by the issuer:
   * an account's trustline (`setTrustLineFlags`), a contract's SAC balance (the SAC's
   * `set_authorized`). Deauthorizing needs an issuer with `AUTH_REVOCABLE`:
   * `issueToken({ revocable: true })`.
   */
  async setAuthorized(address: string, authorized: boolean): Promise<void> {
    const op = address.startsWith("C")
      ? Operation.invokeContractFunction({
          contract: this.contractId,
          function: "set_authorized",
          args: [w.addr(address), w.bool(authorized)],
        })
      : Operation.setTrustLineFlags({ trustor: address, asset: this.asset, flags: { authorized } });
    await this.#dev.submit(this.issuer.signer, op, "setAuthorized");
  }
}

/** Classic operations take amounts as decimal strings with 7 places. */
function toDecimal7(units: bigint): string {
  return `${units / 10_000_000n}.${(units % 10_000_000n).toString().padStart(7, "0")}`;
}

/** A connection to a local network with helpers that need no one else's code. */
export class Devnet {
  readonly network: Network;
  readonly server: rpc.Server;
  /** @internal The pipeline's environment (shared with {@link TestToken}). */
  readonly env: TxEnv;
  readonly #options: TransactOptions;

  private constructor(net: Network, server: rpc.Server, options: TransactOptions) {
    this.network = net;
    this.server = server;
    this.env = { server, network: net, settings: txSettings(options) };
    this.#options = options;
  }

  /** Connects to a running devnet (reads its passphrase from the RPC unless given). */
  static async connect(opts: DevnetOptions = {}): Promise<Devnet> {
    const rpcUrl = opts.rpcUrl ?? "http://127.0.0.1:8000/rpc";
    const base = network("devnet", {
      rpcUrl,
      ...(opts.friendbotUrl ? { friendbotUrl: opts.friendbotUrl } : {}),
    });
    const settings = txSettings(opts);
    const server =
      opts.server ??
      createRpcServer(rpcUrl, { allowHttp: base.allowHttp, timeoutMs: settings.requestTimeoutMs });
    const passphrase =
      opts.passphrase ??
      (await rpcCall({ server, network: base, settings }, "getNetwork", () => server.getNetwork()))
        .passphrase;
    const { rpcUrl: _r, passphrase: _p, friendbotUrl: _f, server: _s, ...txOpts } = opts;
    return new Devnet({ ...base, passphrase }, server, txOpts);
  }

  /** Funds `address` through friendbot (creates the account). */
  async fund(address: string): Promise<void> {
    await rpcCall(this.env, "friendbot", () =>
      this.server.requestAirdrop(address, this.network.friendbotUrl),
    );
  }

  /** A new random account, funded; with `token`, a trustline to it and `mint` base units. */
  async newAccount(opts: NewAccountOptions = {}): Promise<DevAccount> {
    const keypair = Keypair.random();
    await this.fund(keypair.publicKey());
    const account = this.account(keypair);
    if (opts.token) {
      await opts.token.trust(account);
      if (opts.mint !== undefined && opts.mint > 0n) await opts.token.mint(account.address, opts.mint);
    } else if (opts.mint !== undefined)
      throw new ValidationError("newAccount", [{ path: "mint", message: "needs a token" }]);
    return account;
  }

  /** A {@link DevAccount} for a keypair you already have (e.g. from a saved demo file). */
  account(keypair: Keypair): DevAccount {
    return { address: keypair.publicKey(), keypair, signer: new KeypairSigner(keypair) };
  }

  /** A {@link TestToken} for an asset issued earlier by `issuer` (whose SAC is deployed). */
  token(asset: Asset, issuer: DevAccount): TestToken {
    return new TestToken(this, asset, issuer);
  }

  /**
   * Deploys a new stream contract instance from the Wasm shipped in this package (or
   * `wasm`); returns its id. Without `signer`, a fresh funded account deploys.
   */
  async deployStreamContract(opts: { signer?: Signer; wasm?: Uint8Array } = {}): Promise<string> {
    const signer = opts.signer ?? (await this.newAccount()).signer;
    return deployStreamContract({
      ...this.#options,
      network: this.network,
      server: this.server,
      signer,
      ...(opts.wasm ? { wasm: opts.wasm } : {}),
    });
  }

  /**
   * Issues a test asset (`code`, issued by a fresh account unless `issuer`) and deploys
   * its Stellar Asset Contract. `revocable` sets the issuer's `AUTH_REVOCABLE` flag so
   * {@link TestToken.setAuthorized} can deauthorize holders.
   */
  async issueToken(
    opts: { code?: string; issuer?: DevAccount; revocable?: boolean } = {},
  ): Promise<TestToken> {
    const issuer = opts.issuer ?? (await this.newAccount());
    if (opts.revocable)
      await this.submit(issuer.signer, Operation.setOptions({ setFlags: AuthRevocableFlag }), "setOptions");
    const asset = new Asset(opts.code ?? "USDC", issuer.address);
    await this.submit(
      issuer.signer,
      Operation.createStellarAssetContract({ asset }),
      "createStellarAssetContract",
    );
    return new TestToken(this, asset, issuer);
  }

  /** A {@link StreamClient} for `contractId` on this network, signing as `signer` when given. */
  client(contractId: string, signer?: Signer, opts: Partial<StreamClientOptions> = {}): StreamClient {
    return new StreamClient({
      ...this.#options,
      ...opts,
      network: this.network,
      server: this.server,
      contractId,
      ...(signer ? { signer } : {}),
    });
  }

  /** Submits one operation (classic or Soroban) signed by `signer`, through the SDK's pipeline. */
  submit(signer: Signer, operation: xdr.Operation, label?: string): Promise<Submitted> {
    return submit(this.env, {
      label: label ?? operation.body().switch().name,
      signer,
      operation: (auth) => (auth ? withAuth(operation, auth) : operation),
    });
  }

  /** Moves ledger time forward `seconds` and closes `ledgers` ledgers (default 1): devnet only. */
  async warp(seconds: bigint | number, ledgers?: number): Promise<{ sequence: number; closeTs: bigint }> {
    const r = await this.call<{ sequence: number; closeTime: string }>(
      "devnet_warp",
      ledgers === undefined ? { seconds: Number(seconds) } : { seconds: Number(seconds), ledgers },
    );
    return { sequence: r.sequence, closeTs: BigInt(r.closeTime) };
  }

  /** The latest ledger's close time, unix seconds: "now" for accrual. */
  async now(): Promise<bigint> {
    const l = await rpcCall(this.env, "getLatestLedger", () => this.server.getLatestLedger());
    return BigInt(l.closeTime);
  }

  /** Calls a JSON-RPC method directly (for `devnet_*` methods the stellar-sdk does not know). */
  async call<T = unknown>(method: string, params?: unknown): Promise<T> {
    const res = await rpcCall(this.env, method, () =>
      fetch(this.network.rpcUrl, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ jsonrpc: "2.0", id: 1, method, params }),
      }),
    );
    const body = (await res.json()) as { result?: T; error?: { code: number; message: string } };
    if (body.error) throw new RpcError(`${method}: ${body.error.message} (JSON-RPC ${body.error.code})`);
    return body.result as T;
  }
}

/** `operation` (an invokeHostFunction) with `auth` as its authorization entries. */
function withAuth(operation: xdr.Operation, auth: xdr.SorobanAuthorizationEntry[]): xdr.Operation {
  const copy = Operation.fromXDRObject(operation);
  if (copy.type !== "invokeHostFunction") return operation;
  return Operation.invokeHostFunction({
    func: copy.func,
    auth,
    ...(copy.source ? { source: copy.source } : {}),
  });
}
