/**
 * How every `idm-rel` command reads its arguments, so that a flag means the same in each: `--flag value` or
 * `--flag=value`, and the flags the commands share (`--idm`, `--seed`) checked by one rule.
 */
import * as path from 'path';
import type { ExplicitConfig } from '../core/scenario/locateConfig';
import { KNOWN_RELEASES, parseRelease, type IdmRelease } from '../core/simulator/release';

/** A mistake in the command line: the command prints it with its usage and exits with 2. */
export class UsageError extends Error {}

export interface CommandArg {
  /** The flag (`--port`), or the argument itself when it is not a flag. */
  flag: string;
  arg: string;
  /** The flag's value: after `=`, else the next argument (consumed). */
  value(): string;
}

export function forEachArg(args: readonly string[], visit: (arg: CommandArg) => void): void {
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    const equals = arg.startsWith('--') ? arg.indexOf('=') : -1;
    const flag = equals > 0 ? arg.slice(0, equals) : arg;
    const inline = equals > 0 ? arg.slice(equals + 1) : undefined;
    visit({
      flag,
      arg,
      value: () => {
        if (inline !== undefined) return inline;
        const next = args[++i];
        if (next === undefined) throw new UsageError(`${flag} needs a value`);
        return next;
      },
    });
  }
}

/** `--idm 7.5`: one of the releases the simulator knows. */
export function releaseArg(text: string): IdmRelease {
  const release = parseRelease(text);
  if (!release) throw new UsageError(`--idm takes one of ${KNOWN_RELEASES.join(', ')}, not ${text}`);
  return release;
}

/** `--config <path>`: the config the command was told to use, as the config locator takes it. */
export function configArg(cwd: string, written: string): ExplicitConfig {
  return { location: posixPath(path.resolve(cwd, written)), written: `--config ${written}` };
}

/** A file path with `/` separators, as the config locator and the model compare them. */
export function posixPath(file: string): string {
  return file.replace(/\\/g, '/');
}

/** `--seed 42`: the seed of the simulator's generated ids and populations, any integer. */
export function seedArg(text: string): number {
  if (!/^-?\d+$/.test(text)) throw new UsageError(`--seed takes an integer, not ${text}`);
  return Number(text);
}

/**
 * A command's arguments read by `parse`, or the exit code when the command ends there: 2 after a usage mistake
 * (printed with the usage), 0 after `--help` (the usage printed).
 */
export function readCommandLine<T extends { help: boolean }>(
  command: string, usage: string, parse: () => T, io: { stdout(text: string): void; stderr(text: string): void },
): T | number {
  let parsed: T;
  try {
    parsed = parse();
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    io.stderr(`idm-rel ${command}: ${error.message}\n\n${usage}\n`);
    return 2;
  }
  if (!parsed.help) return parsed;
  io.stdout(`${usage}\n`);
  return 0;
}
