// Options shared by the command-line tools.
import { ConfigError } from '../config.js';
import { ContentError } from '../content/problems.js';
import { CAPABILITIES, type ChannelName } from '../model/numbered-menu.js';

export function parseChannel(value: string | undefined): ChannelName {
  const name = value ?? 'web';
  if (!(name in CAPABILITIES)) usage(`--channel must be one of ${Object.keys(CAPABILITIES).join(', ')}`);
  return name as ChannelName;
}

export function parseNow(value: string | undefined): (() => Date) | undefined {
  if (value === undefined) return undefined;
  const fixed = new Date(value);
  if (Number.isNaN(fixed.getTime())) usage(`--now must be an ISO time, like 2026-03-01T09:30:00-06:00`);
  return () => new Date(fixed);
}

/** The tools talk to the bot in memory and keep logs quiet unless LOG_LEVEL asks otherwise. */
export function cliEnvironment(): NodeJS.ProcessEnv {
  return { ...process.env, REDIS_URL: '', LOG_LEVEL: process.env.LOG_LEVEL ?? 'silent' };
}

export function usage(message: string): never {
  process.stderr.write(`${message}\n`);
  process.exit(64);
}

export function fail(error: unknown): void {
  const known = error instanceof ConfigError || error instanceof ContentError;
  process.stderr.write(`${known ? (error as Error).message : String((error as Error)?.stack ?? error)}\n`);
  process.exit(1);
}

/**
 * The command-line arguments, with "--lon -87.2" joined into "--lon=-87.2": node's parseArgs
 * would otherwise take a negative number for an option, and every longitude in Honduras is negative.
 */
export function argumentsWithNegativeNumbers(argv: string[] = process.argv.slice(2)): string[] {
  const joined: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const next = argv[i + 1];
    if (arg.startsWith('--') && !arg.includes('=') && next !== undefined && /^-\d/.test(next)) {
      joined.push(`${arg}=${next}`);
      i++;
    } else joined.push(arg);
  }
  return joined;
}
