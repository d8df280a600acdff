// Just enough gzip and tar to see inside a plugin archive (the plugin.tar.gz `oras pull` saves, an
// image layer). Bounded: nothing inflates past the module cap.
import { gunzipSync } from 'node:zlib';

export const isGzip = (b: Uint8Array): boolean => b.length > 2 && b[0] === 0x1f && b[1] === 0x8b;

/** POSIX/GNU tar: `ustar` at offset 257 (the same test the gateway's HTTP fetcher uses). */
export const isTar = (b: Uint8Array): boolean => b.length > 262 && Buffer.from(b.subarray(257, 262)).toString('latin1') === 'ustar';

export class ArchiveError extends Error {}

export function gunzip(b: Uint8Array, maxBytes: number): Buffer {
  try {
    return gunzipSync(b, { maxOutputLength: maxBytes });
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ERR_BUFFER_TOO_LARGE') throw new ArchiveError(`it inflates to more than ${Math.round(maxBytes / 1048576)} MB`);
    throw new ArchiveError(`it is not a readable gzip stream (${code === 'Z_BUF_ERROR' ? 'cut short' : ((e as Error).message || 'damaged').toLowerCase()})`);
  }
}

export interface TarEntry {
  readonly name: string;
  /** 0 for a file; other type flags are directories, links, … */
  readonly type: string;
  readonly data: Buffer;
}

/** The entries of a tar archive, in order (pax/GNU long names applied); stops at damage. */
export function tarEntries(b: Buffer): { entries: TarEntry[]; damaged: boolean } {
  const entries: TarEntry[] = [];
  let off = 0;
  let longName: string | null = null;
  while (off + 512 <= b.length) {
    const h = b.subarray(off, off + 512);
    if (h.every((x) => x === 0)) return { entries, damaged: false };
    const field = (start: number, len: number): string => {
      const s = h.subarray(start, start + len);
      const end = s.indexOf(0);
      return s.subarray(0, end < 0 ? len : end).toString('utf8');
    };
    const size = parseInt(field(124, 12).trim() || '0', 8);
    if (!Number.isFinite(size) || size < 0 || off + 512 + size > b.length) return { entries, damaged: true };
    const type = field(156, 1) || '0';
    const prefix = field(345, 155);
    let name = prefix ? `${prefix}/${field(0, 100)}` : field(0, 100);
    const data = b.subarray(off + 512, off + 512 + size);
    off += 512 + Math.ceil(size / 512) * 512;
    if (type === 'L') {
      longName = data.toString('utf8').replace(/\0.*$/s, '');
      continue;
    }
    if (type === 'x') {
      const path = /(?:^|\n)\d+ path=([^\n]*)\n/.exec(data.toString('utf8'))?.[1];
      if (path) longName = path;
      continue;
    }
    if (type === 'g') continue;
    if (longName !== null) {
      name = longName;
      longName = null;
    }
    entries.push({ name, type: type === '\0' ? '0' : type, data });
  }
  return { entries, damaged: off !== b.length };
}

export const baseName = (p: string): string => p.replace(/\/+$/, '').split('/').pop() ?? p;
