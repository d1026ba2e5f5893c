// pino to stdout (the orchestrator collects it): JSON, or pino-pretty when stdout is
// a terminal (as under `npm start`). One child per component; secrets redacted by
// path even if a caller logs the config by mistake. Amounts are logged as decimal
// strings by the callers (JSON has no bigint).

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
      formatters: { level: (label) => ({ level: label }) },
      ...(pretty
        ? { transport: { target: "pino-pretty", options: { colorize: true, singleLine: true } } }
        : {}),
    },
    opts.destination,
  );
}
