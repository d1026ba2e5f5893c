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
      formatters: { level: (label) => ({ level: label }) },
      // bigint amounts are logged as decimal strings
      serializers: {},
    },
    destination,
  );
}

/** JSON-safe: bigints as decimal strings. */
export function plain<T>(v: T): unknown {
  return JSON.parse(JSON.stringify(v, (_k, x) => (typeof x === "bigint" ? x.toString() : x)));
}
