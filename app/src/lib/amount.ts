/**
 * Token amounts as people type and read them, converted exactly to and from base
 * units (`bigint`). Never a float: "0.1" with 7 decimals is exactly 1_000_000n.
 */

/** Why a typed amount was refused; `message` is a sentence for the form. */
export class AmountInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "AmountInputError";
  }
}

/**
 * Parses a decimal amount typed in token units ("1,234.5", "0.0000001") into base
 * units. Accepts digits, one dot, and commas or spaces or underscores as digit-group
 * separators; refuses signs, exponents, more fractional digits than the token has,
 * and (unless `allowZero`) zero.
 */
export function parseAmount(text: string, decimals: number, opts: { allowZero?: boolean } = {}): bigint {
  if (!Number.isInteger(decimals) || decimals < 0 || decimals > 38)
    throw new AmountInputError(`The token reports ${decimals} decimals, which this app cannot handle.`);
  const s = text.trim().replace(/[,_ ]/g, "");
  if (s === "") throw new AmountInputError("Enter an amount.");
  if (s.startsWith("-")) throw new AmountInputError("The amount must be positive.");
  const m = /^(\d*)(?:\.(\d*))?$/.exec(s);
  if (!m || (m[1] === "" && (m[2] ?? "") === ""))
    throw new AmountInputError(`"${text.trim()}" is not a number; use digits and at most one decimal point.`);
  const whole = m[1] || "0";
  const frac = m[2] ?? "";
  if (frac.length > decimals)
    throw new AmountInputError(
      decimals === 0
        ? "This token has no decimals; enter a whole number."
        : `This token has ${decimals} decimals; "${text.trim()}" has ${frac.length}.`,
    );
  const units = BigInt(whole) * 10n ** BigInt(decimals) + BigInt(frac.padEnd(decimals, "0") || "0");
  if (units === 0n && !opts.allowZero) throw new AmountInputError("The amount must be more than zero.");
  if (units > (1n << 127n) - 1n) throw new AmountInputError("The amount is too large.");
  return units;
}

/**
 * Formats base units as token units with every decimal the token has ("1,234.5000000"),
 * or with trailing zeros trimmed (`trim`), grouping thousands with commas.
 */
export function formatAmount(units: bigint, decimals: number, opts: { trim?: boolean } = {}): string {
  const neg = units < 0n;
  const abs = neg ? -units : units;
  const scale = 10n ** BigInt(decimals);
  const whole = (abs / scale).toString().replace(/\B(?=(\d{3})+(?!\d))/g, ",");
  let frac = decimals > 0 ? (abs % scale).toString().padStart(decimals, "0") : "";
  if (opts.trim) frac = frac.replace(/0+$/, "");
  return `${neg ? "-" : ""}${whole}${frac ? `.${frac}` : ""}`;
}

/** `formatAmount` followed by the token's symbol. */
export function formatToken(
  units: bigint,
  token: { decimals: number; symbol: string },
  trim = false,
): string {
  return `${formatAmount(units, token.decimals, { trim })} ${token.symbol}`;
}

/** `part / whole` as a percentage with two decimals, computed in bigint ("42.17"). */
export function percent(part: bigint, whole: bigint): string {
  if (whole <= 0n) return "0.00";
  const bp = (part * 10_000n) / whole;
  return `${bp / 100n}.${(bp % 100n).toString().padStart(2, "0")}`;
}
