import { describe, expect, it } from "vitest";
import { ledgerTimeAt } from "../../src/lib/clock.js";
import { matchRoute } from "../../src/lib/router.js";
import { formatDuration, parseUtc } from "../../src/lib/time.js";

describe("routes", () => {
  it("matches the four routes and nothing else", () => {
    expect(matchRoute("/")).toEqual({ name: "incoming" });
    expect(matchRoute("/outgoing/")).toEqual({ name: "outgoing" });
    expect(matchRoute("/create")).toEqual({ name: "create" });
    expect(matchRoute("/stream/42")).toEqual({ name: "stream", id: 42n });
    expect(matchRoute("/stream/0").name).toBe("notFound");
    expect(matchRoute("/stream/18446744073709551616").name).toBe("notFound");
    expect(matchRoute("/stream/abc").name).toBe("notFound");
  });
});

describe("ledger clock", () => {
  it("advances the read's close time by whole elapsed wall seconds", () => {
    const a = { closeTs: 1000n, readAtMs: 5_000 };
    expect(ledgerTimeAt(a, 5_000)).toBe(1000n);
    expect(ledgerTimeAt(a, 5_999)).toBe(1000n);
    expect(ledgerTimeAt(a, 8_000)).toBe(1003n);
    expect(ledgerTimeAt(a, 1_000)).toBe(1000n);
  });
});

describe("time", () => {
  it("parses UTC dates strictly and formats durations", () => {
    expect(parseUtc("2027-01-31")).toBe(BigInt(Date.UTC(2027, 0, 31) / 1000));
    expect(parseUtc("2027-01-31T10:30")).toBe(BigInt(Date.UTC(2027, 0, 31, 10, 30) / 1000));
    expect(parseUtc("2027-02-30")).toBeNull();
    expect(parseUtc("31/01/2027")).toBeNull();
    expect(formatDuration(90_061n)).toBe("1 d 1 h");
    expect(formatDuration(65n)).toBe("1 min 5 s");
    expect(formatDuration(0n)).toBe("0 s");
  });
});
