/**
 * Config files as bytes on disk and text in the model: the encoding a file was read with (UTF-8 with or without a
 * byte order mark, UTF-16 with one) is the encoding it is written back in, and writes are atomic.
 */
import * as fs from 'fs';
import * as path from 'path';

export type TextEncoding = 'utf8' | 'utf8bom' | 'utf16le' | 'utf16be';

export interface ReadFile {
  /** The text without its byte order mark. */
  text: string;
  encoding: TextEncoding;
  /** The bytes as read: a later write checks the file still holds them. */
  bytes: Buffer;
}

/**
 * Reads and decodes a file; `undefined` text when it cannot be read. Bytes that are not valid in the detected
 * encoding give `encoding: undefined`: such a file is checked but never written, since writing it back would
 * replace what could not be decoded.
 */
export function readFileText(file: string): { text: string; encoding?: TextEncoding; bytes: Buffer } | undefined {
  let bytes: Buffer;
  try {
    bytes = fs.readFileSync(file);
  } catch {
    return undefined;
  }
  const { text, encoding } = decode(bytes);
  return { text, encoding: encoding && encode(text, encoding).equals(bytes) ? encoding : undefined, bytes };
}

export function decode(bytes: Buffer): { text: string; encoding: TextEncoding } {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return { text: bytes.subarray(3).toString('utf8'), encoding: 'utf8bom' };
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return { text: bytes.subarray(2).toString('utf16le'), encoding: 'utf16le' };
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return { text: swapBytes(bytes.subarray(2)).toString('utf16le'), encoding: 'utf16be' };
  return { text: bytes.toString('utf8'), encoding: 'utf8' };
}

export function encode(text: string, encoding: TextEncoding): Buffer {
  switch (encoding) {
    case 'utf8': return Buffer.from(text, 'utf8');
    case 'utf8bom': return Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text, 'utf8')]);
    case 'utf16le': return Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]);
    case 'utf16be': return Buffer.concat([Buffer.from([0xfe, 0xff]), swapBytes(Buffer.from(text, 'utf16le'))]);
  }
}

function swapBytes(bytes: Buffer): Buffer {
  const copy = Buffer.from(bytes.subarray(0, bytes.length - (bytes.length % 2)));
  return copy.swap16();
}

/**
 * Writes `bytes` to `file` through a temporary file in the same folder renamed over it, so a reader never sees half a
 * file and a crash leaves the original. The original's permission bits are kept.
 */
export function writeFileAtomic(file: string, bytes: Buffer): void {
  const temporary = path.join(path.dirname(file), `.${path.basename(file)}.idm-rel-${process.pid}-${Date.now()}.tmp`);
  let mode: number | undefined;
  try {
    mode = fs.statSync(file).mode & 0o7777;
  } catch {
    mode = undefined;
  }
  const fd = fs.openSync(temporary, 'wx', mode ?? 0o644);
  try {
    fs.writeSync(fd, bytes);
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  try {
    if (mode !== undefined) fs.chmodSync(temporary, mode);
    fs.renameSync(temporary, file);
  } catch (error) {
    fs.rmSync(temporary, { force: true });
    throw error;
  }
}
