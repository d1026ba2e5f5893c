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

  it("derives a devnet's friendbot from an overridden rpcUrl, unless given", () => {
    expect(network("devnet", { rpcUrl: "http://127.0.0.1:41234/rpc" }).friendbotUrl).toBe(
      "http://127.0.0.1:41234/friendbot",
    );
    expect(
      network("devnet", { rpcUrl: "http://127.0.0.1:1/rpc", friendbotUrl: "http://fb.local/" }).friendbotUrl,
    ).toBe("http://fb.local/");
    // An RPC URL of another shape says nothing about where friendbot is: none rather than a stale one.
    expect(network("devnet", { rpcUrl: "http://127.0.0.1:1/soroban" }).friendbotUrl).toBeUndefined();
    // Testnet's friendbot is its own service: an RPC override keeps it.
    expect(network("testnet", { rpcUrl: "https://rpc.example" }).friendbotUrl).toBe(
      "https://friendbot.stellar.org",
    );
  });
});
