import { Networks } from "@stellar/stellar-sdk";
import { describe, expect, it } from "vitest";
import { NETWORKS, network } from "../src/networks.js";

describe("network presets", () => {
  it("carry each network's passphrase and are overridable field by field", () => {
    expect(network("testnet").passphrase).toBe(Networks.TESTNET);
    expect(network("mainnet").passphrase).toBe(Networks.PUBLIC);
    expect(network("devnet")).toMatchObject({ passphrase: Networks.STANDALONE, allowHttp: true });
    const custom = network("testnet", { rpcUrl: "https://rpc.example", contractId: "CX" });
    expect(custom).toEqual({ ...NETWORKS.testnet, rpcUrl: "https://rpc.example", contractId: "CX" });
    expect(NETWORKS.testnet.rpcUrl).toBe("https://soroban-testnet.stellar.org"); // presets are not mutated
  });

  it("gives mainnet no default RPC URL (SDF runs none): clients require one", () => {
    expect(network("mainnet").rpcUrl).toBe("");
    expect(network("mainnet").allowHttp).toBe(false);
  });
});
