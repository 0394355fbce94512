/**
 * Reads a curl command as pasted from the IDM documentation: a POSIX-shell subset (quotes, backslash
 * escapes, `\` line continuations) plus the documentation's own quirks, then curl's options.
 *
 * The docs' quirks, all accepted as line continuations: a stray `\ \` or `\\` at the end of a line (a
 * shell would end the command there), and callout markers such as `\ (1)` or a trailing `(2)` after the
 * URL. A leading `$ ` prompt is skipped.
 */
import type { OffsetRange } from '../diagnostics/finding';
import type { MappedText } from './mappedText';
import { joinMapped } from './mappedText';
import type { ScenarioError } from './scenarioError';

export interface ShellToken extends MappedText {
  /** Source offset of the token's first character (its opening quote when quoted). */
  start: number;
  /** Source offset just past the token (past its closing quote). */
  end: number;
  /** True when any part of the token was quoted. */
  quoted: boolean;
  /** True when the token begins with a quote (`"-d"` is a word, not an option). */
  startsQuoted: boolean;
}

export interface ShellCommand {
  tokens: ShellToken[];
  /** Source offset just past the command's last character (trailing spaces excluded). */
  end: number;
  errors: ScenarioError[];
}

/** `\` followed only by spaces, more backslashes and an optional callout up to the end of the line. */
const CONTINUATION = /^\\[ \t\\]*(?:\(\d+\)[ \t]*)?$/;
/** A documentation callout marker standing alone at the end of a line. */
const CALLOUT = /^\(\d+\)[ \t]*$/;

/**
 * Splits the shell command starting at `start` into words, stopping at the first newline that is not
 * escaped, quoted or continued, or at `limit`. Never throws: an unterminated quote runs to `limit`
 * and is reported.
 */
export function scanShellCommand(source: string, start: number, limit: number): ShellCommand {
  const tokens: ShellToken[] = [];
  const errors: ScenarioError[] = [];
  let chars: string[] = [];
  let offsets: number[] = [];
  let tokenStart = -1;
  let quoted = false;
  let startsQuoted = false;
  let lastContent = start;

  const add = (char: string, offset: number) => {
    if (tokenStart < 0) tokenStart = offset;
    chars.push(char);
    offsets.push(offset);
  };
  const flush = (end: number) => {
    if (tokenStart >= 0) {
      const text = chars.join('');
      // `\ ` at a line end in the docs yields a lone escaped space: not a word anyone meant.
      if (quoted || text.trim() !== '') tokens.push({ text, offsets: [...offsets, end], start: tokenStart, end, quoted, startsQuoted });
      lastContent = end;
    }
    chars = [];
    offsets = [];
    tokenStart = -1;
    quoted = false;
    startsQuoted = false;
  };
  const lineEnd = (from: number) => {
    let i = from;
    while (i < limit && source[i] !== '\n' && source[i] !== '\r') i++;
    return i;
  };
  const nextLine = (from: number) => {
    let i = lineEnd(from);
    if (source[i] === '\r') i++;
    if (source[i] === '\n') i++;
    return Math.min(i, limit);
  };

  let i = start;
  while (i < limit) {
    const c = source[i];
    if (c === '\n' || c === '\r') break;
    if (c === ' ' || c === '\t') {
      flush(i);
      i++;
      continue;
    }
    if (c === '\\') {
      const restOfLine = source.slice(i, lineEnd(i));
      if (CONTINUATION.test(restOfLine)) {
        flush(i);
        i = nextLine(i);
        continue;
      }
      add(source[i + 1], i + 1);
      i += 2;
      continue;
    }
    if (c === "'") {
      if (tokenStart < 0) {
        tokenStart = i;
        startsQuoted = true;
      }
      quoted = true;
      const close = source.indexOf("'", i + 1);
      const stop = close < 0 || close >= limit ? limit : close;
      for (let j = i + 1; j < stop; j++) add(source[j], j);
      if (stop === limit) {
        errors.push(curlError('Unterminated single-quoted string', { start: i, end: limit }));
        i = limit;
        lastContent = limit;
        break;
      }
      i = stop + 1;
      lastContent = i;
      continue;
    }
    if (c === '"') {
      if (tokenStart < 0) {
        tokenStart = i;
        startsQuoted = true;
      }
      quoted = true;
      let j = i + 1;
      while (j < limit && source[j] !== '"') {
        if (source[j] === '\\' && j + 1 < limit) {
          const next = source[j + 1];
          if (next === '"' || next === '\\' || next === '$' || next === '`') {
            add(next, j + 1);
            j += 2;
            continue;
          }
          if (next === '\n' || next === '\r') {
            j = nextLine(j + 1); // an escaped line break joins the lines
            continue;
          }
        }
        add(source[j], j);
        j++;
      }
      if (j >= limit) {
        errors.push(curlError('Unterminated double-quoted string', { start: i, end: limit }));
        i = limit;
        lastContent = limit;
        break;
      }
      i = j + 1;
      lastContent = i;
      continue;
    }
    if (tokenStart < 0 && c === '#') {
      // A shell comment runs to the end of the line, which also ends the command.
      i = lineEnd(i);
      break;
    }
    if (tokenStart < 0 && c === '(' && CALLOUT.test(source.slice(i, lineEnd(i)))) {
      i = lineEnd(i);
      continue;
    }
    add(c, i);
    i++;
    lastContent = i;
  }
  flush(i);
  return { tokens, end: Math.max(start, lastContent), errors };
}

export interface CurlHeader {
  name: string;
  value: string;
  nameRange: OffsetRange;
  valueRange: OffsetRange;
}

export interface CurlRequest {
  method?: { value: string; range: OffsetRange };
  /** The URL word, unquoted. */
  url?: ShellToken;
  headers: CurlHeader[];
  /** The body as curl would send it (several `-d` joined with `&`), mapped to the file. */
  data?: MappedText;
  /** The range of the body's words in the file. */
  dataRange?: OffsetRange;
  /** `-G`: the data goes to the query string instead of the body. */
  dataInQuery: boolean;
  /** Source range of the `curl` word. */
  commandRange: OffsetRange;
  errors: ScenarioError[];
}

/** Options whose next word is their argument and that do not matter to the simulator. */
const IGNORED_WITH_ARGUMENT = new Set([
  '-u', '--user', '-o', '--output', '-A', '--user-agent', '-e', '--referer', '-b', '--cookie', '-c', '--cookie-jar',
  '--cacert', '--capath', '--cert', '-E', '--key', '--cert-type', '--key-type', '-m', '--max-time', '--connect-timeout',
  '-w', '--write-out', '--resolve', '-x', '--proxy', '--retry', '--retry-delay', '--retry-max-time', '--oauth2-bearer',
  '-K', '--config', '--limit-rate', '-r', '--range', '-z', '--time-cond', '--proto', '--interface', '-y', '--speed-time',
  '-Y', '--speed-limit', '--max-redirs', '--dns-servers', '--noproxy', '--pass', '--trace', '--trace-ascii', '--stderr',
  '-D', '--dump-header', '--connect-to', '--request-target', '--aws-sigv4', '--ciphers',
]);

/** Options without an argument that do not matter to the simulator. */
const IGNORED_FLAGS = new Set([
  '-s', '--silent', '-S', '--show-error', '-k', '--insecure', '-v', '--verbose', '-i', '--include', '-L', '--location',
  '-f', '--fail', '--fail-with-body', '-g', '--globoff', '-N', '--no-buffer', '--compressed', '--http1.0', '--http1.1',
  '--http2', '--http2-prior-knowledge', '--http3', '-0', '-1', '-2', '-3', '-4', '-6', '--raw', '-#', '--progress-bar',
  '--no-progress-meter', '-n', '--netrc', '--location-trusted', '--tr-encoding', '-j', '--junk-session-cookies', '-q',
  '--disable', '-Z', '--parallel', '--no-keepalive', '--tcp-nodelay', '--path-as-is', '--ssl', '--ssl-reqd', '-l', '--list-only',
]);

const DATA_OPTIONS = new Set(['-d', '--data', '--data-raw', '--data-binary', '--data-ascii', '--data-urlencode', '--json']);

/** Short options that take an argument, for bundles like `-sX POST` or `-XPOST`. */
const SHORT_WITH_ARGUMENT = new Set(['X', 'H', 'd', 'u', 'o', 'A', 'e', 'b', 'c', 'E', 'm', 'w', 'x', 'K', 'r', 'z', 'y', 'Y', 'D', 'T', 'F']);

/** Interprets the words of a curl command (the first word is `curl`). */
export function readCurlCommand(tokens: ShellToken[]): CurlRequest {
  const result: CurlRequest = {
    headers: [],
    dataInQuery: false,
    commandRange: { start: tokens[0]?.start ?? 0, end: tokens[0]?.end ?? 0 },
    errors: [],
  };
  const dataWords: ShellToken[] = [];
  let head = false;
  let jsonOption = false;

  /** Expands a bundle of short options (`-sSX POST`) into single options with their inline arguments. */
  const expand = (token: ShellToken): Array<{ option: string; inline?: ShellToken }> => {
    const text = token.text;
    if (text.startsWith('--') || text.length <= 2) return [{ option: text }];
    const out: Array<{ option: string; inline?: ShellToken }> = [];
    for (let k = 1; k < text.length; k++) {
      const letter = text[k];
      if (SHORT_WITH_ARGUMENT.has(letter)) {
        const rest = k + 1 < text.length ? subToken(token, k + 1) : undefined;
        out.push({ option: `-${letter}`, inline: rest });
        return out;
      }
      out.push({ option: `-${letter}` });
    }
    return out;
  };

  for (let index = 1; index < tokens.length; index++) {
    const token = tokens[index];
    const isOption = !token.startsQuoted && token.text.startsWith('-') && token.text.length > 1;
    if (!isOption) {
      if (result.url) {
        result.errors.push({
          code: 'idmsim-curl-syntax', severity: 'error', range: { start: token.start, end: token.end },
          message: `A second URL \`${token.text}\`: a scenario request has one URL`,
        });
      } else {
        result.url = token;
      }
      continue;
    }
    for (const { option, inline } of expand(token)) {
      const takeArgument = (): ShellToken | undefined => {
        if (inline) return inline;
        const next = tokens[index + 1];
        if (!next) {
          result.errors.push({
            code: 'idmsim-curl-syntax', severity: 'error', range: { start: token.start, end: token.end },
            message: `\`${option}\` needs an argument`,
          });
          return undefined;
        }
        index++;
        return next;
      };
      if (option === '-X' || option === '--request') {
        const argument = takeArgument();
        if (argument) result.method = { value: argument.text, range: { start: argument.start, end: argument.end } };
      } else if (option === '-H' || option === '--header') {
        const argument = takeArgument();
        if (argument) readHeader(argument, result);
      } else if (DATA_OPTIONS.has(option)) {
        const argument = takeArgument();
        if (!argument) continue;
        if (option === '--json') jsonOption = true;
        if (argument.text.startsWith('@') && option !== '--data-raw') {
          result.errors.push({
            code: 'idmsim-curl-unsupported', severity: 'error', range: { start: argument.start, end: argument.end },
            message: 'A body read from a file (`@file`) cannot be simulated: paste the JSON instead',
          });
          continue;
        }
        dataWords.push(argument);
      } else if (option === '-G' || option === '--get') {
        result.dataInQuery = true;
      } else if (option === '-I' || option === '--head') {
        head = true;
      } else if (option === '--url') {
        const argument = takeArgument();
        if (argument) {
          if (result.url) {
            result.errors.push({
              code: 'idmsim-curl-syntax', severity: 'error', range: { start: argument.start, end: argument.end },
              message: 'A second URL: a scenario request has one URL',
            });
          } else result.url = argument;
        }
      } else if (option === '-F' || option === '--form' || option === '-T' || option === '--upload-file') {
        const argument = takeArgument();
        result.errors.push({
          code: 'idmsim-curl-unsupported', severity: 'warning', range: { start: token.start, end: argument?.end ?? token.end },
          message: `\`${option}\` is ignored: IDM's REST API takes JSON bodies (use \`--data\`)`,
        });
      } else if (IGNORED_WITH_ARGUMENT.has(option)) {
        takeArgument();
      } else if (!IGNORED_FLAGS.has(option)) {
        result.errors.push({
          code: 'idmsim-curl-unsupported', severity: 'warning', range: { start: token.start, end: token.end },
          message: `Unknown curl option \`${option}\` is ignored`,
        });
      }
    }
  }

  if (dataWords.length) {
    result.data = joinMapped(dataWords, '&');
    result.dataRange = { start: dataWords[0].start, end: dataWords[dataWords.length - 1].end };
  }
  if (!result.method) {
    // curl's own defaults: HEAD for -I, GET for -G, POST when there is data, else GET.
    const implied = head ? 'HEAD' : result.dataInQuery ? 'GET' : dataWords.length ? 'POST' : 'GET';
    const at = result.commandRange;
    result.method = { value: implied, range: { start: at.start, end: at.end } };
  }
  if (jsonOption) {
    // `--json` adds these two headers unless given.
    const has = (name: string) => result.headers.some((h) => h.name.toLowerCase() === name.toLowerCase());
    const at = { start: result.commandRange.start, end: result.commandRange.start };
    if (!has('Content-Type')) result.headers.push({ name: 'Content-Type', value: 'application/json', nameRange: at, valueRange: at });
    if (!has('Accept')) result.headers.push({ name: 'Accept', value: 'application/json', nameRange: at, valueRange: at });
  }
  return result;
}

function readHeader(argument: ShellToken, result: CurlRequest): void {
  const text = argument.text;
  const colon = text.indexOf(':');
  if (colon <= 0) {
    // `-H "Name;"` sends an empty header: nothing the simulator needs.
    if (text.endsWith(';')) return;
    result.errors.push({
      code: 'idmsim-bad-header', severity: 'error', range: { start: argument.start, end: argument.end },
      message: `Header \`${text}\` has no \`:\``,
    });
    return;
  }
  const name = text.slice(0, colon).trim();
  let valueStart = colon + 1;
  while (valueStart < text.length && (text[valueStart] === ' ' || text[valueStart] === '\t')) valueStart++;
  let valueEnd = text.length;
  while (valueEnd > valueStart && (text[valueEnd - 1] === ' ' || text[valueEnd - 1] === '\t')) valueEnd--;
  const nameStart = text.length - text.trimStart().length;
  result.headers.push({
    name,
    value: text.slice(valueStart, valueEnd),
    nameRange: mappedRange(argument, nameStart, nameStart + name.length),
    valueRange: mappedRange(argument, valueStart, valueEnd),
  });
}

function mappedRange(token: MappedText, start: number, end: number): OffsetRange {
  if (end <= start) return { start: token.offsets[start], end: token.offsets[start] };
  return { start: token.offsets[start], end: token.offsets[end - 1] + 1 };
}

function subToken(token: ShellToken, from: number): ShellToken {
  return {
    text: token.text.slice(from),
    offsets: token.offsets.slice(from),
    start: token.offsets[from],
    end: token.end,
    quoted: token.quoted,
    startsQuoted: false,
  };
}

function curlError(message: string, range: OffsetRange): ScenarioError {
  return { code: 'idmsim-curl-syntax', severity: 'error', message, range };
}
