// pino to stdout (the orchestrator collects it): JSON, or pino-pretty when stdout is
// a terminal (as under `npm start`). One child per component; secrets redacted by
// path even if a caller logs the config by mistake. bigint amounts are logged as
// exact decimal strings (bigintsToStrings), whoever logs them.

import { type DestinationStream, type Logger, pino } from "pino";

export const REDACT = [
  "secret",
  "config.secret",
  "*.secret",
  "channelSecrets",
  "*.channelSecrets",
  "KEEPER_SECRET",
  "*.KEEPER_SECRET",
];

export function createLogger(
  level: string,
  opts: { format?: "auto" | "json" | "pretty"; destination?: DestinationStream } = {},
): Logger {
  const pretty =
    !opts.destination &&
    (opts.format === "pretty" || ((opts.format ?? "auto") === "auto" && process.stdout.isTTY));
  return pino(
    {
      level,
      base: { service: "tributary-keeper" },
      redact: { paths: REDACT, censor: "[redacted]" },
      formatters: {
        level: (label) => ({ level: label }),
        log: (fields) => bigintsToStrings(fields) as Record<string, unknown>,
      },
      ...(pretty
        ? { transport: { target: "pino-pretty", options: { colorize: true, singleLine: true } } }
        : {}),
    },
    opts.destination,
  );
}

/**
 * bigint amounts as decimal strings: pino would write them as JSON numbers, which log
 * pipelines parse as doubles and round beyond 2^53. Walks plain objects and arrays only,
 * so errors and other class instances reach pino's serializers untouched.
 */
export function bigintsToStrings(v: unknown): unknown {
  if (typeof v === "bigint") return v.toString();
  if (Array.isArray(v)) return v.map(bigintsToStrings);
  if (v !== null && typeof v === "object") {
    const proto = Object.getPrototypeOf(v);
    if (proto === Object.prototype || proto === null)
      return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, bigintsToStrings(x)]));
  }
  return v;
}
