// Just enough tar (ustar, PAX and GNU long names, as Go's archive/tar and oras write them) for the two places
// that open archives: `check` looking inside a plugin archive (a whole buffer, tarEntries) and `--docker`
// reading /var/log/higress through the archive endpoint (a stream, TarReader). Archive content is untrusted:
// sizes are read defensively and a damaged archive says so instead of throwing.

/** An entry's header: its path as written (untrusted), its type flag (`0` a file; `5` a folder, …) and size. */
export interface TarHeader {
  readonly path: string;
  readonly type: string;
  readonly size: number;
}

const BLOCK = 512;

function cstring(b: Buffer, start: number, len: number): string {
  const end = b.indexOf(0, start);
  return b.toString('utf8', start, end >= 0 && end < start + len ? end : start + len);
}

function octal(b: Buffer, start: number, len: number): number {
  // GNU base-256 for sizes ≥ 8 GiB: high bit of the first byte set.
  if (b[start]! & 0x80) {
    let v = 0;
    for (let i = start + 1; i < start + len; i++) v = v * 256 + b[i]!;
    return v;
  }
  const s = cstring(b, start, len).trim();
  return s === '' ? 0 : parseInt(s, 8);
}

/** `path` and `size` of a PAX extended header (`<len> key=value\n` records). */
function paxRecords(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  let p = 0;
  while (p < text.length) {
    const sp = text.indexOf(' ', p);
    if (sp < 0) break;
    const len = Number(text.slice(p, sp));
    if (!Number.isInteger(len) || len <= 0) break;
    const rec = text.slice(sp + 1, p + len - 1);
    const eq = rec.indexOf('=');
    if (eq > 0) out[rec.slice(0, eq)] = rec.slice(eq + 1);
    p += len;
  }
  return out;
}

/**
 * Reads a tar stream as it arrives: `onEntry` is told of each entry (PAX and long-name headers applied, not
 * reported) and returns where its bytes go, or null to skip them. A stream cut short or a damaged header is
 * reported by end().
 */
export class TarReader {
  private buf: Buffer = Buffer.alloc(0);
  /** Bytes of the current entry's data (and padding) still to come. */
  private dataLeft = 0;
  private padLeft = 0;
  private sink: ((b: Buffer) => void) | null = null;
  /** A PAX or GNU long-name header whose body is being collected. */
  private meta: { kind: 'pax' | 'longname' | 'skip'; parts: Buffer[] } | null = null;
  private nextPath: string | null = null;
  private nextSize: number | null = null;
  private ended = false;
  private broken = false;
  /** Whether the zero block that ends an archive was seen. */
  complete = false;

  constructor(private readonly onEntry: (h: TarHeader) => ((b: Buffer) => void) | null) {}

  push(chunk: Buffer): void {
    if (this.ended) return;
    let p = 0;
    while (p < chunk.length && !this.ended) {
      if (this.dataLeft > 0) {
        const n = Math.min(this.dataLeft, chunk.length - p);
        const piece = chunk.subarray(p, p + n);
        if (this.meta) this.meta.parts.push(Buffer.from(piece));
        else this.sink?.(piece);
        p += n;
        this.dataLeft -= n;
        if (this.dataLeft === 0) this.endData();
        continue;
      }
      if (this.padLeft > 0) {
        const n = Math.min(this.padLeft, chunk.length - p);
        p += n;
        this.padLeft -= n;
        continue;
      }
      const need = BLOCK - this.buf.length;
      const take = chunk.subarray(p, p + need);
      this.buf = this.buf.length === 0 && take.length === BLOCK ? take : Buffer.concat([this.buf, take]);
      p += take.length;
      if (this.buf.length < BLOCK) return;
      const header = this.buf;
      this.buf = Buffer.alloc(0);
      this.header(header);
    }
  }

  /** The end of the stream; false when it stopped inside an entry or at a damaged header. */
  end(): boolean {
    const whole = !this.broken && this.dataLeft === 0 && this.padLeft === 0 && this.buf.length === 0 && this.meta === null;
    if (this.dataLeft > 0) this.sink = null;
    this.ended = true;
    return whole;
  }

  private header(h: Buffer): void {
    if (h.every((x) => x === 0)) {
      // Two zero blocks end the archive; one is tolerated.
      this.complete = true;
      this.ended = true;
      return;
    }
    const type = String.fromCharCode(h[156]! || 48);
    const size = this.nextSize ?? octal(h, 124, 12);
    const magic = h.toString('latin1', 257, 262);
    const prefix = magic === 'ustar' ? cstring(h, 345, 155) : '';
    const name = cstring(h, 0, 100);
    const path = this.nextPath ?? (prefix ? `${prefix}/${name}` : name);
    this.nextPath = null;
    this.nextSize = null;
    if (!Number.isFinite(size) || size < 0) {
      this.broken = true;
      this.ended = true;
      return;
    }
    this.dataLeft = size;
    this.padLeft = (BLOCK - (size % BLOCK)) % BLOCK;
    this.sink = null;
    this.meta = null;
    if (type === 'x' || type === 'L') this.meta = { kind: type === 'x' ? 'pax' : 'longname', parts: [] };
    else if (type === 'g') this.meta = { kind: 'skip', parts: [] };
    else this.sink = this.onEntry({ path, type, size });
    if (size === 0) this.endData();
  }

  private endData(): void {
    const m = this.meta;
    this.meta = null;
    this.sink = null;
    if (!m || m.kind === 'skip') return;
    const text = Buffer.concat(m.parts).toString('utf8');
    if (m.kind === 'longname') this.nextPath = text.replace(/\0+$/, '');
    else {
      const r = paxRecords(text);
      if (r.path !== undefined) this.nextPath = r.path;
      if (r.size !== undefined && /^\d+$/.test(r.size)) this.nextSize = Number(r.size);
    }
  }
}

/**
 * A regular file's name without its folders, or null (a folder, a link, a device, or a name that could choose a
 * path on this machine): what may be written under a folder of ours.
 */
export function plainFileName(h: TarHeader): string | null {
  if (h.type !== '0' && h.type !== '7') return null;
  const base = h.path.split('/').filter(Boolean).pop() ?? '';
  return base && base !== '.' && base !== '..' && !base.includes('\\') ? base : null;
}

export interface TarEntry {
  /** The path as written. */
  readonly name: string;
  readonly type: string;
  readonly data: Buffer;
}

/** The entries of a whole tar archive, in order; an entry cut short is left out, and the archive is damaged. */
export function tarEntries(b: Buffer): { entries: TarEntry[]; damaged: boolean } {
  const found: Array<{ h: TarHeader; parts: Buffer[] }> = [];
  const reader = new TarReader((h) => {
    const parts: Buffer[] = [];
    found.push({ h, parts });
    return (piece) => parts.push(piece);
  });
  reader.push(b);
  const whole = reader.end();
  const entries: TarEntry[] = [];
  for (const { h, parts } of found) {
    const data = parts.length === 1 ? parts[0]! : Buffer.concat(parts);
    if (data.length === h.size) entries.push({ name: h.path, type: h.type, data });
  }
  return { entries, damaged: !whole };
}
