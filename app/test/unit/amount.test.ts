import { describe, expect, it } from "vitest";
import { AmountInputError, formatAmount, parseAmount, percent } from "../../src/lib/amount.js";

describe("parseAmount", () => {
  it("parses token units exactly into base units", () => {
    expect(parseAmount("1", 7)).toBe(10_000_000n);
    expect(parseAmount("0.1", 7)).toBe(1_000_000n);
    expect(parseAmount("0.0000001", 7)).toBe(1n);
    expect(parseAmount("1,234.5", 7)).toBe(12_345_000_000n);
    expect(parseAmount(" 5_000.25 ", 2)).toBe(500_025n);
    expect(parseAmount(".5", 1)).toBe(5n);
    expect(parseAmount("7.", 0)).toBe(7n);
    // Beyond float precision: 2^60 + 1 units stays exact.
    expect(parseAmount("1152921504606846977", 0)).toBe(1_152_921_504_606_846_977n);
    expect(parseAmount("123456789012345678901.2345678", 7)).toBe(1_234_567_890_123_456_789_012_345_678n);
  });

  it.each([
    ["", 7, /Enter an amount/],
    ["abc", 7, /not a number/],
    ["1e5", 7, /not a number/],
    ["1.2.3", 7, /not a number/],
    ["-1", 7, /positive/],
    ["0", 7, /more than zero/],
    ["0.00000001", 7, /7 decimals; "0.00000001" has 8/],
    ["1.5", 0, /no decimals/],
    ["1".repeat(40), 0, /too large/],
    [".", 7, /not a number/],
  ])("refuses %j with %s decimals", (text, decimals, msg) => {
    expect(() => parseAmount(text, decimals)).toThrow(AmountInputError);
    expect(() => parseAmount(text, decimals)).toThrow(msg);
  });

  it("allows zero when asked", () => {
    expect(parseAmount("0", 7, { allowZero: true })).toBe(0n);
  });

  it("round-trips with formatAmount for many values", () => {
    for (let i = 0n; i < 2000n; i++) {
      const units = i * i * 7919n + (i % 10n);
      expect(parseAmount(formatAmount(units, 7), 7, { allowZero: true })).toBe(units);
    }
  });
});

describe("formatAmount", () => {
  it("shows every decimal, grouped thousands", () => {
    expect(formatAmount(12_345_000_000n, 7)).toBe("1,234.5000000");
    expect(formatAmount(1n, 7)).toBe("0.0000001");
    expect(formatAmount(0n, 7)).toBe("0.0000000");
    expect(formatAmount(-15n, 1)).toBe("-1.5");
    expect(formatAmount(1_000_000n, 0)).toBe("1,000,000");
  });
  it("trims trailing zeros when asked", () => {
    expect(formatAmount(12_345_000_000n, 7, { trim: true })).toBe("1,234.5");
    expect(formatAmount(10_000_000n, 7, { trim: true })).toBe("1");
  });
});

describe("percent", () => {
  it("computes in bigint, floored to 0.01%", () => {
    expect(percent(1n, 3n)).toBe("33.33");
    expect(percent(0n, 0n)).toBe("0.00");
    expect(percent(5n, 5n)).toBe("100.00");
    expect(percent(10n ** 30n, 3n * 10n ** 30n)).toBe("33.33");
  });
});
