// Just enough gzip (and, with src/tar.ts, tar) to see inside a plugin archive (the plugin.tar.gz `oras pull` saves, an
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

export const baseName = (p: string): string => p.replace(/\/+$/, '').split('/').pop() ?? p;
