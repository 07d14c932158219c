import { InvalidArgumentError } from 'commander';
import { parseDuration } from '../upgrade/gc-decide.js';

/**
 * Parsers for numeric and duration flags, run by commander while it reads argv: a bad value is
 * refused (exit 2, "option '--rps <n>' argument '-1' is invalid. ...") before any command starts
 * a cluster, a database or a connection. Each message says what is allowed, with an example.
 * Defaults are not passed through them (commander uses them as given), so give them as numbers.
 */
type Parser<T> = (value: string) => T;

/** Number() accepts '', ' ', '0x10' and '1e3'; a flag value is plain decimal or it is a typo. */
function decimal(value: string, allowed: string): number {
  if (!/^-?\d+(\.\d+)?$/.test(value.trim())) throw new InvalidArgumentError(`Allowed: ${allowed}.`);
  return Number(value);
}

function ranged(allowed: string, ok: (n: number) => boolean): Parser<number> {
  return (value) => {
    const n = decimal(value, allowed);
    if (!ok(n)) throw new InvalidArgumentError(`Allowed: ${allowed}.`);
    return n;
  };
}

/** Requests per second, seconds: finite, above 0, and small enough to mean something. */
export const positiveNumber = (example: string, max = 1_000_000): Parser<number> =>
  ranged(`a number above 0, at most ${max} (e.g. ${example})`, (n) => n > 0 && n <= max);

/** Counts that may be 0 (`--streams 0`: none). */
export const countOption = (example: string, max = 10_000): Parser<number> =>
  ranged(`a whole number from 0 to ${max} (e.g. ${example})`, (n) => Number.isInteger(n) && n >= 0 && n <= max);

/** Milliseconds between two refreshes: at least 50 (a busy loop otherwise), at most a day. */
export const intervalMs: Parser<number> = ranged(
  'a whole number of milliseconds from 50 to 86400000 (e.g. 1000)',
  (n) => Number.isInteger(n) && n >= 50 && n <= 86_400_000,
);

/** A TCP port; 0 asks the system for a free one. */
export const portOption: Parser<number> = ranged(
  '0 (any free port) or a port from 1 to 65535',
  (n) => Number.isInteger(n) && n >= 0 && n <= 65_535,
);

/** `30m`, `1h`, `2d`: kept as text (the command's own option type), checked here. */
export const durationOption: Parser<string> = (value) => {
  try {
    parseDuration(value);
  } catch {
    throw new InvalidArgumentError('Allowed: a whole number with a unit ms, s, m, h or d (e.g. 90s, 30m, 1h, 2d).');
  }
  return value.trim();
};

/** `host:port` to listen on (`$(POD_IP)` stands for the pod's address); with `off`: not at all. */
export const listenAddress =
  (o: { off?: boolean } = {}): Parser<string> =>
  (value) => {
    const allowed = `host:port with a port from 0 to 65535 (e.g. 127.0.0.1:9090, $(POD_IP):9090)${o.off ? ', or off' : ''}`;
    if (o.off && value === 'off') return value;
    const m = /^(.+):(\d{1,5})$/.exec(value);
    if (!m || Number(m[2]) > 65_535 || /[\s/]/.test(m[1]!)) throw new InvalidArgumentError(`Allowed: ${allowed}.`);
    return value;
  };
