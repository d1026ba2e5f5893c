/** Instants (unix seconds, bigint) and durations as people read them, in UTC. */

/** "2027-02-28 00:00:00 UTC". */
export function formatTs(ts: bigint): string {
  const d = new Date(Number(ts) * 1000);
  return `${d.toISOString().slice(0, 19).replace("T", " ")} UTC`;
}

/** "2027-02-28". */
export function formatDate(ts: bigint): string {
  return new Date(Number(ts) * 1000).toISOString().slice(0, 10);
}

/** A duration in seconds, in its two largest units: "3 d 4 h", "12 min 5 s", "40 s". */
export function formatDuration(seconds: bigint): string {
  if (seconds <= 0n) return "0 s";
  const units: [bigint, string][] = [
    [86_400n, "d"],
    [3_600n, "h"],
    [60n, "min"],
    [1n, "s"],
  ];
  const parts: string[] = [];
  let rest = seconds;
  for (const [size, name] of units) {
    if (rest >= size) {
      parts.push(`${rest / size} ${name}`);
      rest %= size;
    }
    if (parts.length === 2) break;
  }
  return parts.join(" ");
}

/**
 * Parses "YYYY-MM-DD" or "YYYY-MM-DDTHH:MM[:SS]" (UTC) into unix seconds, or null.
 */
export function parseUtc(text: string): bigint | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2}))?)?Z?$/.exec(text.trim());
  if (!m) return null;
  const [y, mo, d, h, mi, s] = m.slice(1).map((x) => (x === undefined ? 0 : Number(x))) as number[];
  const ms = Date.UTC(y!, mo! - 1, d!, h!, mi!, s!);
  const back = new Date(ms);
  if (back.getUTCFullYear() !== y || back.getUTCMonth() !== mo! - 1 || back.getUTCDate() !== d) return null;
  if (h! > 23 || mi! > 59 || s! > 59) return null;
  return BigInt(ms / 1000);
}
