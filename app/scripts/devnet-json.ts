// Builds the dApp's `devnet.json` (see app/src/lib/config.ts) from what `npm start`
// deployed: the devnet demo file (RPC, passphrase, contracts, the token holder) and the
// demo streams file (recipients alice, bob and carol with their throwaway devnet keys).
import { readFileSync } from "node:fs";

interface DemoFile {
  rpcUrl: string;
  networkPassphrase: string;
  streamContractId: string;
  demoToken: { contractId: string };
  holder: { publicKey: string; secret: string };
}
interface StreamsFile {
  accounts?: Record<string, { publicKey: string; secret: string }>;
}

export function devnetJson(demoPath: string, streamsPath?: string): string {
  const demo = JSON.parse(readFileSync(demoPath, "utf8")) as DemoFile;
  let streams: StreamsFile = {};
  if (streamsPath) {
    try {
      streams = JSON.parse(readFileSync(streamsPath, "utf8")) as StreamsFile;
    } catch {
      // no demo streams (yet): the token holder is still offered
    }
  }
  const demoAccounts = [
    { name: "sender (TRIB holder)", ...demo.holder },
    ...Object.entries(streams.accounts ?? {}).map(([name, a]) => ({
      name,
      publicKey: a.publicKey,
      secret: a.secret,
    })),
  ];
  return JSON.stringify({
    rpcUrl: demo.rpcUrl,
    networkPassphrase: demo.networkPassphrase,
    friendbotUrl: demo.rpcUrl.replace(/\/rpc$/, "/friendbot"),
    streamContractId: demo.streamContractId,
    tokens: [demo.demoToken.contractId],
    demoAccounts,
  });
}
