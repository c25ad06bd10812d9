/**
 * Reading manifests as kubectl does: UTF-8, or UTF-16 when the file starts with its byte-order mark (go-yaml
 * detects the encoding from the BOM, so Windows tools' UTF-16 files apply fine). Written back in the same encoding.
 */
import { closeSync, fstatSync, openSync, readFileSync, readSync, statSync } from 'node:fs';

export type TextEncoding = 'utf8' | 'utf16le' | 'utf16be';

export interface DecodedText {
  /** The text without its byte-order mark. */
  text: string;
  encoding: TextEncoding;
  /** The file started with a byte-order mark (always, for UTF-16). */
  bom: boolean;
}

/**
 * Decodes file bytes: a UTF-16 BOM (FF FE, FE FF) selects UTF-16, otherwise UTF-8 (a UTF-8 BOM is dropped). Bytes
 * that are not UTF-8 (a Latin-1 comment) are kept losslessly, each as a lone surrogate U+DC80–U+DCFF (Python's
 * "surrogateescape"), so {@link encodeText} writes them back as they were: a fix never turns them into U+FFFD.
 */
export function decodeText(bytes: Buffer): DecodedText {
  if (bytes.length >= 2 && bytes[0] === 0xff && bytes[1] === 0xfe) return { text: bytes.subarray(2).toString('utf16le'), encoding: 'utf16le', bom: true };
  if (bytes.length >= 2 && bytes[0] === 0xfe && bytes[1] === 0xff) return { text: swap16(bytes.subarray(2)).toString('utf16le'), encoding: 'utf16be', bom: true };
  let text = bytes.toString('utf8');
  if (text.includes('\uFFFD') && !Buffer.from(text, 'utf8').equals(bytes)) text = decodeEscaped(bytes);
  return text.startsWith('\uFEFF') ? { text: text.slice(1), encoding: 'utf8', bom: true } : { text, encoding: 'utf8', bom: false };
}

/** UTF-8 with every byte outside a well-formed sequence as the lone surrogate U+DC00 + byte. */
function decodeEscaped(bytes: Buffer): string {
  const parts: string[] = [];
  let start = 0;
  let i = 0;
  const flush = (end: number) => {
    if (end > start) parts.push(bytes.subarray(start, end).toString('utf8'));
  };
  while (i < bytes.length) {
    const n = wellFormedLength(bytes, i);
    if (n > 0) {
      i += n;
      continue;
    }
    flush(i);
    parts.push(String.fromCharCode(0xdc00 + bytes[i]));
    i++;
    start = i;
  }
  flush(i);
  return parts.join('');
}

/** The length of the well-formed UTF-8 sequence at `i` (Unicode table 3-7), or 0. */
function wellFormedLength(b: Buffer, i: number): number {
  const c = b[i];
  if (c < 0x80) return 1;
  const cont = (k: number, lo = 0x80, hi = 0xbf) => i + k < b.length && b[i + k] >= lo && b[i + k] <= hi;
  if (c >= 0xc2 && c <= 0xdf) return cont(1) ? 2 : 0;
  if (c === 0xe0) return cont(1, 0xa0) && cont(2) ? 3 : 0;
  if ((c >= 0xe1 && c <= 0xec) || c === 0xee || c === 0xef) return cont(1) && cont(2) ? 3 : 0;
  if (c === 0xed) return cont(1, 0x80, 0x9f) && cont(2) ? 3 : 0;
  if (c === 0xf0) return cont(1, 0x90) && cont(2) && cont(3) ? 4 : 0;
  if (c >= 0xf1 && c <= 0xf3) return cont(1) && cont(2) && cont(3) ? 4 : 0;
  if (c === 0xf4) return cont(1, 0x80, 0x8f) && cont(2) && cont(3) ? 4 : 0;
  return 0;
}

/** UTF-8 bytes of a text decoded by {@link decodeText}: escaped bytes (lone U+DC80–U+DCFF) are written as themselves. */
function encodeUtf8(text: string): Buffer {
  if (!/[\udc80-\udcff]/.test(text)) return Buffer.from(text, 'utf8');
  const parts: Buffer[] = [];
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    const prev = i > 0 ? text.charCodeAt(i - 1) : 0;
    // A low surrogate after a high one is half of a real character, not an escaped byte.
    if (c >= 0xdc80 && c <= 0xdcff && !(prev >= 0xd800 && prev <= 0xdbff)) {
      parts.push(Buffer.from(text.slice(start, i), 'utf8'), Buffer.from([c - 0xdc00]));
      start = i + 1;
    }
  }
  parts.push(Buffer.from(text.slice(start), 'utf8'));
  return Buffer.concat(parts);
}

/** The bytes of `text` in the encoding (and with the BOM) a file was read in. */
export function encodeText(text: string, like: Pick<DecodedText, 'encoding' | 'bom'>): Buffer {
  const body = like.bom ? '\uFEFF' + text : text;
  if (like.encoding === 'utf16le') return Buffer.from(body, 'utf16le');
  if (like.encoding === 'utf16be') return swap16(Buffer.from(body, 'utf16le'));
  return encodeUtf8(body);
}

export function readTextFile(path: string): DecodedText {
  return decodeText(readFileSync(path));
}

/** Why a path is not read as a manifest (not a regular file: a FIFO, a device, `/dev/zero` behind a link), or null. */
export function notARegularFile(path: string): string | null {
  const s = statSync(path);
  return s.isFile() ? null : 'is not a regular file (a device, pipe or socket): it is not read';
}

/**
 * The bytes of a regular file, at most `limit + 1` of them: enough to tell that it is over the limit without
 * reading (or holding) all of a huge one.
 */
export function readBounded(path: string, limit: number): Buffer {
  const fd = openSync(path, 'r');
  try {
    const size = Math.min(fstatSync(fd).size, limit + 1);
    const buf = Buffer.alloc(size);
    let read = 0;
    while (read < size) {
      const n = readSync(fd, buf, read, size - read, read);
      if (n === 0) break;
      read += n;
    }
    return buf.subarray(0, read);
  } finally {
    closeSync(fd);
  }
}

/** True for a `.json` file's text that may hold a Kubernetes object (other JSON, such as package.json, is not read). */
export function mayHoldKubernetesJson(text: string): boolean {
  return /"apiVersion"\s*:/.test(text) && /"kind"\s*:/.test(text);
}

export const JSON_FILE = /\.json$/i;

function swap16(bytes: Buffer): Buffer {
  const out = Buffer.from(bytes.subarray(0, bytes.length - (bytes.length % 2)));
  return out.swap16();
}
