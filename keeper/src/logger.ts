// pino JSON to stdout (the orchestrator collects it), one child per component,
// secrets redacted by path even if a caller logs the config by mistake.

import { type DestinationStream, type Logger, pino } from "pino";

export const REDACT = ["secret", "config.secret", "*.secret", "KEEPER_SECRET", "*.KEEPER_SECRET"];

export function createLogger(level: string, destination?: DestinationStream): Logger {
  return pino(
    {
      level,
      base: { service: "tributary-keeper" },
      redact: { paths: REDACT, censor: "[redacted]" },
      formatters: {
        level: (label) => ({ level: label }),
        log: (fields) => bigintsToStrings(fields) as Record<string, unknown>,
      },
    },
    destination,
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
