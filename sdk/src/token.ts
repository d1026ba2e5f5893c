/**
 * SEP-41 token reads (`name`, `symbol`, `decimals`, `balance`) by simulation: what an
 * app needs to show amounts in token units. Read-only, no signer; results of the
 * immutable metadata calls are cached per token.
 *
 * @module token
 */

import {
  Account,
  Address,
  Operation,
  rpc,
  scValToNative,
  TransactionBuilder,
  type xdr,
} from "@stellar/stellar-sdk";
import {
  DecodeError,
  parseContractErrorCode,
  RpcError,
  SimulationError,
  TokenError,
  ValidationError,
} from "./errors.js";
import type { Network } from "./networks.js";

/** A token's SEP-41 metadata. */
export interface TokenMetadata {
  /** The token contract (`C...`). */
  contractId: string;
  name: string;
  symbol: string;
  /** Digits after the decimal point: 1 token = `10 ** decimals` base units. */
  decimals: number;
}

/** A source account for simulation only: it never needs to exist or sign. */
const NULL_ACCOUNT = "GAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAWHF";

/** Reads SEP-41 tokens over a Stellar RPC. */
export class TokenReader {
  readonly server: rpc.Server;
  readonly network: Network;
  readonly #metadata = new Map<string, Promise<TokenMetadata>>();

  constructor(options: { network: Network; server?: rpc.Server }) {
    if (!options.network.rpcUrl)
      throw new ValidationError("TokenReader", [{ path: "network.rpcUrl", message: "must be set" }]);
    this.network = options.network;
    this.server =
      options.server ?? new rpc.Server(options.network.rpcUrl, { allowHttp: options.network.allowHttp });
  }

  async #call(token: string, method: string, args: xdr.ScVal[] = []): Promise<unknown> {
    let contractId: string;
    try {
      contractId = Address.fromString(token).toString();
    } catch {
      throw new ValidationError(`token.${method}`, [
        { path: "token", message: "must be a C... contract strkey" },
      ]);
    }
    const tx = new TransactionBuilder(new Account(NULL_ACCOUNT, "0"), {
      fee: "100",
      networkPassphrase: this.network.passphrase,
    })
      .addOperation(Operation.invokeContractFunction({ contract: contractId, function: method, args }))
      .setTimeout(60)
      .build();
    let sim: rpc.Api.SimulateTransactionResponse;
    try {
      sim = await this.server.simulateTransaction(tx);
    } catch (error) {
      throw new RpcError(`token.${method}: ${error instanceof Error ? error.message : String(error)}`, {
        cause: error,
      });
    }
    if (rpc.Api.isSimulationError(sim)) {
      const code = parseContractErrorCode(sim.error);
      throw code !== null && code < 100
        ? new TokenError(code, `token.${method}`)
        : new SimulationError(`token.${method}`, sim.error);
    }
    const retval = (sim as rpc.Api.SimulateTransactionSuccessResponse).result?.retval;
    if (!retval) throw new SimulationError(`token.${method}`, "simulation returned no value");
    return scValToNative(retval);
  }

  /** `name`, `symbol` and `decimals` of a token (cached: SEP-41 metadata never changes). */
  metadata(token: string): Promise<TokenMetadata> {
    let hit = this.#metadata.get(token);
    if (!hit) {
      hit = (async () => {
        const [name, symbol, decimals] = await Promise.all([
          this.#call(token, "name"),
          this.#call(token, "symbol"),
          this.#call(token, "decimals"),
        ]);
        if (typeof name !== "string" || typeof symbol !== "string" || typeof decimals !== "number")
          throw new DecodeError(`token ${token}: name/symbol/decimals have unexpected types`);
        return { contractId: token, name, symbol, decimals };
      })();
      hit.catch(() => this.#metadata.delete(token));
      this.#metadata.set(token, hit);
    }
    return hit;
  }

  /**
   * `balance(id)`: base units `address` holds. A Stellar Asset Contract answers an
   * account without a trustline with `TrustlineMissingError` (13); that reads as 0.
   */
  async balance(token: string, address: string): Promise<bigint> {
    let owner: xdr.ScVal;
    try {
      owner = Address.fromString(address).toScVal();
    } catch {
      throw new ValidationError("token.balance", [
        { path: "address", message: "must be a G... or C... strkey" },
      ]);
    }
    let v: unknown;
    try {
      v = await this.#call(token, "balance", [owner]);
    } catch (error) {
      if (error instanceof TokenError && error.code === 13) return 0n;
      throw error;
    }
    if (typeof v !== "bigint") throw new DecodeError(`token ${token}: balance is not an integer`);
    return v;
  }
}
