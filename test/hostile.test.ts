// Hostile input: bytes that are not text, escape sequences, files that change under us, odd
// file types. The tool stays calm: a counted line, a one-line message, never a stack trace.
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, openSync, readFileSync, writeFileSync, writeSync, closeSync, truncateSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { loadCatalog } from '../src/catalog/load.js';
import { Pipeline } from '../src/pipeline.js';
import { compressionOf, readInput, utf16AsUtf8, utf16Of } from '../src/sources/open.js';
import { ROOT as ROOT_DIR, runCli } from './helpers/cli.js';

const dir = mkdtempSync(join(tmpdir(), 'hd-hostile-'));
const catalog = loadCatalog();

function diagnose(buf: Buffer) {
  const p = new Pipeline(catalog);
  p.beginInput('h.log');
  p.push(buf);
  p.endInput();
  return p.snapshot();
}

describe('a storm of subjects', () => {
  it('past the incident cap, findings still have their cause: one incident per cause counts them, none is unexplained', () => {
    // 620 clusters without a healthy upstream, each failing twice.
    const line = (k: number): string =>
      `{"ai_log":"-","authority":"a","method":"GET","path":"/","response_code":"503","response_flags":"UH","response_code_details":"no_healthy_upstream","route_name":"r","start_time":"2026-05-20T08:15:44.000Z","upstream_cluster":"outbound|80||svc-${k}.ns.svc.cluster.local","upstream_host":"-"}`;
    const lines = Array.from({ length: 620 }, (_, k) => line(k));
    const d = diagnose(Buffer.from([...lines, ...lines].join('\n') + '\n'));
    expect(d.incidents.length).toBe(501);
    expect(d.incidents.every((i) => i.cause === 'upstream-unavailable')).toBe(true);
    expect(d.incidents.reduce((n, i) => n + i.count, 0)).toBe(1240);
    const more = d.incidents.find((i) => Object.keys(i.subject).length === 0)!;
    expect(more.count).toBe(2 * 120);
    expect(more.notes.join(' ')).toContain('Past the first 500 incidents');
    expect(d.unclassified).toEqual([]);
    expect(d.unclassifiedOther).toBe(0);
  });
});

describe('content faults', () => {
  it('decodes invalid UTF-8 with replacement and keeps line numbers right', () => {
    const bad = Buffer.concat([
      Buffer.from('\xff\xfe\xfd garbage \xc3\x28\n', 'latin1'),
      Buffer.from('2026-05-20T10:20:01.000211Z\twarn\tEnvoy may have been out of memory killed. Check memory usage and limits.\n'),
    ]);
    const d = diagnose(bad);
    expect(d.stats.lines).toBe(2);
    expect(d.incidents[0]!.cause).toBe('oom');
    expect(d.incidents[0]!.evidence[0]!.line).toBe(2);
  });

  it('survives NUL bytes and binary runs inside and between lines', () => {
    const bin = Buffer.concat([Buffer.alloc(5000, 0), Buffer.from('\n'), Buffer.from([0x1b, 0x5b, 0x32, 0x4a, 0x00, 0x07, 0x0a]), Buffer.from('2026-05-20T10:20:01.000245Z\terror\tEnvoy exited with error: signal: killed\n')]);
    const d = diagnose(bin);
    expect(d.stats.lines).toBe(3);
    expect(d.incidents.map((i) => i.cause)).toContain('oom');
  });

  it('reads lines built to make the wrappers work hard (quotes, labels, spaces, a JSON object of many members) as what they are', () => {
    const many = (s: string, n: number): string => s.repeat(n);
    const lines = [
      `"${many('"', 200_000)},${many('"a', 50_000)}`,
      `"2026-05-20T08:15:44Z",${many('"x",', 50_000)}"y`,
      `{${many('a="b", ', 30_000)}x`,
      `{a="${many('\\"', 50_000)}`,
      `2025-11-25 13:12:28.243537256${many(' ', 100_000)}x`,
      many('ab ', 60_000),
      '{',
      ...Array.from({ length: 3000 }, () => '  "k": "v",'),
    ];
    const d = diagnose(Buffer.from(`${lines.join('\n')}\n`));
    expect(d.stats.lines).toBe(lines.length);
    // None of them is a gateway record: all unknown, none dropped.
    expect(d.stats.unparsed).toBe(lines.length);
    expect(d.incidents).toEqual([]);
  });

  it('reads lines whose TABs became spaces, and lines that lost their timestamp', () => {
    const d = diagnose(Buffer.from('2020-01-04T15:26:26.987721Z     warn    Envoy may have been out of memory killed. Check memory usage and limits.\n[error][wasm] [external/envoy/source/extensions/common/wasm/wasm_vm.cc:38] Failed to load Wasm module due to a missing import: wasi_snapshot_preview1.fd_write\n'));
    expect(d.incidents.map((i) => i.cause).sort()).toEqual(['oom', 'wasm-module-incompatible']);
    expect(d.stats.unparsed).toBe(0);
  });

  it('keeps what it can of lines two writers interleaved mid-line (stderr and stdout share a pipe)', () => {
    const access = '{"ai_log":"-","authority":"a.example.com","response_code":"200","response_flags":"-","start_time":"2026-05-20T08:20:31.114Z"}';
    const fetch = '2026-05-20T08:15:42.517302Z\terror\twasm\tcannot fetch Wasm module http://10.0.0.5/plugins/key-auth/1.0.0/plugin.wasm: wasm module download failed after 1 attempts, last error: wasm module download request failed: status code 404';
    const cut = 120;
    const text = `${fetch.slice(0, cut)}${access.slice(0, 40)}\n${access.slice(40)}${fetch.slice(cut)}\n${access}\n`;
    const d = diagnose(Buffer.from(text));
    expect(d.stats.lines).toBe(3);
    // The fetch failure and its plugin survive; the inner reason was cut off by the other writer.
    expect(d.incidents[0]!.cause).toMatch(/^wasm-fetch-/);
    expect(d.incidents[0]!.subject.plugin).toBe('key-auth');
    expect(d.stats.unparsed).toBe(1);
  });

  it('never lets log text move the cursor, set a title or write a hyperlink, in any format', () => {
    const f = join(dir, 'escapes.log');
    writeFileSync(f, '2026-05-20T08:15:42.517302Z\terror\twasm\tcannot fetch Wasm module http://evil.example/\x1b]0;pwned\x07\x1b]8;;http://x\x1b\\link\x1b]8;;\x1b\\\x1b[2J\x1b[1;1H\x9b31m/plugins/a/1/plugin.wasm: status code 404\n2026-05-20T08:15:43.000000Z\terror\tunexplained \x1b[31mred\x1b[0m thing\n');
    for (const format of ['text', 'markdown', 'json']) {
      const r = runCli(['analyze', f, '--format', format, '--fail-on', 'none']);
      expect(r.code, format).toBe(0);
      expect(r.stdout, format).not.toMatch(/[\x1b\x07\x9b]/);
      expect(r.stdout, format).not.toContain('\\u001b');
      expect(r.stdout).toMatch(/plugin\.wasm|plugins/);
    }
  });
});

describe('input faults', () => {
  it('reports what was read when a file shrinks while it is read', async () => {
    const f = join(dir, 'shrinks.log');
    const line = '2026-05-20T10:20:01.000245Z\terror\tEnvoy exited with error: signal: killed\n';
    writeFileSync(f, line.repeat(40000)); // ~3 MB: several chunks
    const chunks: Buffer[] = [];
    let n = 0;
    for await (const c of readInput({ name: 'shrinks.log', path: f })) {
      chunks.push(Buffer.from(c));
      if (++n === 1) truncateSync(f, 1024 * 1024 + 10);
    }
    const total = chunks.reduce((a, c) => a + c.length, 0);
    expect(total).toBe(1024 * 1024 + 10);
  });

  it('reads a FIFO, and warns about an empty file without failing', () => {
    const fifo = join(dir, 'pipe.log');
    execFileSync('mkfifo', [fifo]);
    // The writer blocks until analyze opens the FIFO; it must not hold our stdio open.
    const writer = spawn('bash', ['-c', `printf '2026-05-20T10:20:01.000245Z\\terror\\tEnvoy exited with error: signal: killed\\n' > ${fifo}`], { stdio: 'ignore', detached: true });
    writer.unref();
    const r = runCli(['analyze', fifo, '--format', 'json']);
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stdout).incidents[0].cause).toBe('oom');
    const empty = join(dir, 'empty.log');
    writeFileSync(empty, '');
    const e = runCli(['analyze', empty]);
    expect(e.code).toBe(0);
    expect(e.stderr).toMatch(/^higress-doctor: empty\.log is empty: nothing to analyse\n$/);
  });

  it('says a truncated gzip is truncated, and exits 2 only when nothing decoded', () => {
    const f = join(dir, 'half.gz');
    const big = Buffer.from('2026-05-20T10:20:01.000245Z\terror\tEnvoy exited with error: signal: killed\n'.repeat(20000));
    const gz = execFileSync('gzip', ['-c'], { input: big });
    writeFileSync(f, gz.subarray(0, Math.floor(gz.length / 2)));
    const r = runCli(['analyze', f, '--format', 'json']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/half\.gz: truncated gzip/);
    expect(JSON.parse(r.stdout).inputs[0].error).toMatch(/truncated/);
    const tiny = join(dir, 'tiny.gz');
    writeFileSync(tiny, gz.subarray(0, 12));
    const t = runCli(['analyze', tiny]);
    expect(t.code).toBe(2);
    expect(t.stderr.trim().split('\n')).toHaveLength(1);
  });

  it('analyses a gzip followed by trailing garbage, then says it is damaged', () => {
    const body = '2026-05-20T10:20:01.000245Z\terror\tEnvoy exited with error: signal: killed\n'.repeat(30000);
    for (const [name, text] of [['small.gz', body.slice(0, 80)], ['big.gz', body]] as const) {
      const f = join(dir, name);
      writeFileSync(f, Buffer.concat([execFileSync('gzip', ['-c'], { input: text }), Buffer.from('GARBAGE\x00 trailing bytes')]));
      const r = runCli(['analyze', f, '--format', 'json']);
      expect(r.code, name).toBe(1);
      expect(r.stderr).toMatch(/damaged gzip/);
      const d = JSON.parse(r.stdout);
      expect(d.inputs[0].bytes, name).toBe(Buffer.byteLength(text));
      expect(d.incidents[0].cause).toBe('oom');
    }
  });

  it('handles a stdin that closes before any line', () => {
    const r = runCli(['analyze', '-'], { input: '' });
    expect(r.code).toBe(0);
  });

  it('counts a 50 MB single line as one cut line with bounded memory', () => {
    const f = join(dir, 'huge.log');
    const fd = openSync(f, 'w');
    writeSync(fd, '[2026-05-20 08:30:05.118][1][warning][config] [x.cc:1] gRPC config for type.googleapis.com/envoy.config.listener.v3.Listener rejected: Proto constraint validation failed ');
    const block = Buffer.alloc(1024 * 1024, 0x61);
    for (let i = 0; i < 50; i++) writeSync(fd, block);
    writeSync(fd, '\n2026-05-20T10:20:01.000245Z\terror\tEnvoy exited with error: signal: killed\n');
    closeSync(fd);
    const r = runCli(['analyze', f, '--format', 'json']);
    const d = JSON.parse(r.stdout);
    expect(d.stats.lines).toBe(2);
    expect(d.stats.cutLines).toBe(1);
    expect(d.incidents.map((i: { cause: string }) => i.cause)).toContain('oom');
  });
});

describe('a log saved as UTF-16 (Windows PowerShell 5: `kubectl logs … > gateway.log`)', () => {
  const sample = join(ROOT_DIR, 'samples/envoy-crash-segfault.log');
  const utf8 = readFileSync(sample);
  /** The JSON report without what names the input or counts its bytes. */
  const report = (file: string): unknown => {
    const r = runCli(['analyze', file, '--format', 'json']);
    expect(r.code).toBe(1);
    const doc = JSON.parse(r.stdout.split(basename(file)).join('INPUT')) as { inputs: unknown; stats: unknown; incidents: unknown[] };
    return { stats: doc.stats, incidents: doc.incidents };
  };
  const asUtf16 = (text: Buffer, order: 'le' | 'be', mark: boolean): Buffer => {
    const le = Buffer.from(text.toString('utf8'), 'utf16le');
    const body = order === 'le' ? le : Buffer.from(le).swap16();
    return mark ? Buffer.concat([Buffer.from(order === 'le' ? [0xff, 0xfe] : [0xfe, 0xff]), body]) : body;
  };

  it('is read as the same log: little- and big-endian, with or without the mark, gzipped too', () => {
    const want = report(sample);
    for (const [name, bytes] of [
      ['le-mark.log', asUtf16(utf8, 'le', true)],
      ['be-mark.log', asUtf16(utf8, 'be', true)],
      ['le-bare.log', asUtf16(utf8, 'le', false)],
      ['be-bare.log', asUtf16(utf8, 'be', false)],
      ['le-mark.log.gz', gzipSync(asUtf16(utf8, 'le', true))],
    ] as const) {
      const file = join(dir, name);
      writeFileSync(file, bytes);
      expect(report(file), name).toEqual(want);
    }
    // Not "not a gateway log" any more: that is what it said before (exit 2, nothing on stdout).
    const plain = runCli(['analyze', join(dir, 'le-mark.log')]);
    expect(plain.stdout).toContain('envoy-crash');
  });

  it('decodes whatever way the text is cut into chunks: code units and surrogate pairs split between them', async () => {
    await fc.assert(
      fc.asyncProperty(fc.string({ unit: 'binary', maxLength: 300 }), fc.boolean(), fc.array(fc.nat(), { maxLength: 8 }), async (text, bigEndian, cutsRaw) => {
        const bytes = asUtf16(Buffer.from(text, 'utf8'), bigEndian ? 'be' : 'le', true);
        const cuts = [...new Set(cutsRaw.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b);
        // The first piece must show the mark (a file's first read is 256 KiB); later cuts may fall anywhere, odd bytes too.
        const bounds = [0, ...cuts.filter((c) => c >= 2), bytes.length];
        async function* pieces(): AsyncGenerator<Buffer> {
          for (let k = 0; k + 1 < bounds.length; k++) if (bounds[k + 1]! > bounds[k]!) yield bytes.subarray(bounds[k], bounds[k + 1]);
        }
        const out: Buffer[] = [];
        for await (const b of utf16AsUtf8(pieces())) out.push(b);
        expect(Buffer.concat(out).toString('utf8')).toBe(Buffer.from(text, 'utf8').toString('utf8'));
      }),
      { numRuns: 300 },
    );
  });

  it('leaves UTF-8 alone: the same chunks, in the caller\'s buffer, and no log line reads as UTF-16', async () => {
    const chunks = [Buffer.from('2026-05-20T08:00:00.000000Z\tinfo\tads\tready\n'), Buffer.from('[2026-05-20 08:00:01.000][12][warning][config] x\n')];
    async function* pieces(): AsyncGenerator<Buffer> {
      yield* chunks;
    }
    const out: Buffer[] = [];
    for await (const b of utf16AsUtf8(pieces())) out.push(b);
    expect(out[0]).toBe(chunks[0]);
    expect(out[1]).toBe(chunks[1]);
    fc.assert(
      fc.property(fc.string({ unit: 'binary', minLength: 40, maxLength: 400 }), (s) => {
        const b = Buffer.from(s.replace(/\0/g, ''), 'utf8');
        expect(utf16Of(b)).toBeNull();
      }),
      { numRuns: 500 },
    );
  });

  it('a reader that stops early closes the input underneath', async () => {
    let closed = false;
    async function* pieces(): AsyncGenerator<Buffer> {
      try {
        for (let k = 0; k < 10; k++) yield Buffer.from(`line ${k}\n`.repeat(10));
      } finally {
        closed = true;
      }
    }
    for await (const b of utf16AsUtf8(pieces())) {
      expect(b.length).toBeGreaterThan(0);
      break;
    }
    expect(closed).toBe(true);
  });
});

describe('rotated logs compressed with xz, bzip2 or zstd (logrotate compresscmd)', () => {
  const oneLineError = (stderr: string): void => {
    expect(stderr.trim().split('\n')).toHaveLength(1);
    expect(stderr).toMatch(/^higress-doctor: /);
    expect(stderr).not.toMatch(/\n\s+at /);
  };
  const sample = join(ROOT_DIR, 'samples/envoy-crash-segfault.log');
  const has = (cmd: string): boolean => {
    try {
      execFileSync(cmd, ['--version'], { stdio: 'ignore' });
      return true;
    } catch {
      return false;
    }
  };
  const compressed = (cmd: string, ext: string): string => {
    const file = join(dir, `gateway.log.3.${ext}`);
    writeFileSync(file, execFileSync(cmd, ['-c'], { input: readFileSync(sample) }));
    return file;
  };
  /** The report of one file, its name taken out (evidence and notes name their input). */
  const incidents = (file: string): { code: number | null; incidents: unknown; lines: number } => {
    const r = runCli(['analyze', file, '--format', 'json']);
    const doc = JSON.parse(r.stdout.split(basename(file)).join('INPUT')) as { incidents: unknown[]; stats: { lines: number } };
    return { code: r.code, incidents: doc.incidents, lines: doc.stats.lines };
  };

  for (const [cmd, ext] of [['xz', 'xz'], ['bzip2', 'bz2'], ['zstd', 'zst']] as const) {
    it.skipIf(!has(cmd))(`a .${ext} file is read through the host's ${cmd}: the same diagnosis as the plain file`, () => {
      const want = incidents(sample);
      const got = incidents(compressed(cmd, ext));
      expect(got.code).toBe(1);
      expect(got.lines).toBe(want.lines);
      expect(got.incidents).toEqual(want.incidents);
    });
  }

  it.skipIf(!has('xz'))('a cut .xz file: what decoded is analysed, and one line says it was cut; a folder lists the .xz member in its set', () => {
    const whole = readFileSync(compressed('xz', 'xz'));
    const cut = join(dir, 'cut.log.xz');
    writeFileSync(cut, whole.subarray(0, Math.floor(whole.length / 2)));
    const r = runCli(['analyze', cut]);
    oneLineError(r.stderr);
    expect(r.stderr).toMatch(/cut\.log\.xz: xz: .+; analysed what decoded/);
    expect(r.stdout).toContain('lines');
    // Too short to decode anything: exit 2.
    writeFileSync(cut, whole.subarray(0, 16));
    const none = runCli(['analyze', cut]);
    expect(none.code).toBe(2);
    oneLineError(none.stderr);
    // In a folder: gateway.log.3.xz is the oldest of its set.
    const folder = mkdtempSync(join(dir, 'rotated-'));
    writeFileSync(join(folder, 'gateway.log.3.xz'), whole);
    writeFileSync(join(folder, 'gateway.log'), readFileSync(sample));
    const doc = JSON.parse(runCli(['analyze', folder, '--format', 'json']).stdout) as { inputs: Array<{ name: string; lines: number }> };
    expect(doc.inputs.map((i) => [i.name, i.lines])).toEqual([
      ['gateway.log.3.xz', 44],
      ['gateway.log', 44],
    ]);
  });

  it('a zip archive, such input on stdin, or a host without the command: one line that says what to do, exit 2', () => {
    const zip = join(dir, 'logs.zip');
    // A stored (uncompressed) zip member: the local file header's signature is all the check reads.
    writeFileSync(zip, Buffer.concat([Buffer.from([0x50, 0x4b, 0x03, 0x04]), Buffer.alloc(26), readFileSync(sample)]));
    const z = runCli(['analyze', zip]);
    expect(z.code).toBe(2);
    oneLineError(z.stderr);
    expect(z.stderr).toContain('unzip it');
    const xzMagic = Buffer.from([0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00, 0, 0]);
    const piped = runCli(['analyze', '-'], { input: xzMagic });
    expect(piped.code).toBe(2);
    expect(piped.stderr).toMatch(/stdin is xz-compressed: .*xz -dc/);
    // No xz on PATH: the file's compression and what to do, not a spawn error.
    const file = join(dir, 'nocmd.log.xz');
    writeFileSync(file, xzMagic);
    const bare = runCli(['analyze', file], { env: { PATH: join(dir, 'no-such-bin') } });
    expect(bare.code).toBe(2);
    oneLineError(bare.stderr);
    expect(bare.stderr).toMatch(/nocmd\.log\.xz is xz-compressed and this host has no xz command: install xz-utils/);
  });

  it('only a format\'s magic bytes make it compressed: log text never does', () => {
    expect(compressionOf(Buffer.from('BZh is not a bzip2 header'))).toBeNull();
    expect(compressionOf(Buffer.from('BZh9'))?.name).toBe('bzip2');
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 64 }), (s) => {
        expect(compressionOf(Buffer.from(`[2026-05-20 08:15:44.031][61][warning][config] ${s}`))).toBeNull();
        expect(compressionOf(Buffer.from(s.replace(/^(?:BZh|PK)+/, ''), 'utf8'))).toBeNull();
      }),
      { numRuns: 300 },
    );
  });
});
