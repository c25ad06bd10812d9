/**
 * Reading manifests as kubectl does: UTF-8, or UTF-16 when the file starts with its byte-order mark (go-yaml
 * detects the encoding from the BOM, so Windows tools' UTF-16 files apply fine). Written back in the same encoding.
 */
import { readFileSync } from 'node:fs';

export type TextEncoding = 'utf8' | 'utf16le' | 'utf16be';

export interface DecodedText {
  /** The text without its byte-order mark. */
  text: string;
  encoding: TextEncoding;
  /** The file started with a byte-order mark (always, for UTF-16). */
  bom: boolean;
}

/** Decodes file bytes: a UTF-16 BOM (FF FE, FE FF) selects UTF-16, otherwise UTF-8 (a UTF-8 BOM is dropped). */
export function decodeText(bytes: Buffer): DecodedText {
  if (bytes.length >= 2 && bytes[0] === 0xff && bytes[1] === 0xfe) return { text: bytes.subarray(2).toString('utf16le'), encoding: 'utf16le', bom: true };
  if (bytes.length >= 2 && bytes[0] === 0xfe && bytes[1] === 0xff) return { text: swap16(bytes.subarray(2)).toString('utf16le'), encoding: 'utf16be', bom: true };
  const text = bytes.toString('utf8');
  return text.startsWith('\uFEFF') ? { text: text.slice(1), encoding: 'utf8', bom: true } : { text, encoding: 'utf8', bom: false };
}

/** The bytes of `text` in the encoding (and with the BOM) a file was read in. */
export function encodeText(text: string, like: Pick<DecodedText, 'encoding' | 'bom'>): Buffer {
  const body = like.bom ? '\uFEFF' + text : text;
  if (like.encoding === 'utf16le') return Buffer.from(body, 'utf16le');
  if (like.encoding === 'utf16be') return swap16(Buffer.from(body, 'utf16le'));
  return Buffer.from(body, 'utf8');
}

export function readTextFile(path: string): DecodedText {
  return decodeText(readFileSync(path));
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
