// Plugin modules for the check tests, assembled from WAT with wabt, and the archives and broken
// files an offline plugin server ends up serving.
import { gzipSync } from 'node:zlib';
import wabtInit from 'wabt';

async function assemble(name: string, wat: string): Promise<Buffer> {
  const wabt = await wabtInit();
  const mod = wabt.parseWat(name, wat);
  try {
    mod.validate();
    return Buffer.from(mod.toBinary({ write_debug_names: false }).buffer);
  } finally {
    mod.destroy();
  }
}

// What every Proxy-Wasm module has: an ABI marker, malloc, memory, a callback the host calls.
const PLUGIN_BODY = `
  (memory (export "memory") 1)
  (func (export "malloc") (param i32) (result i32) i32.const 1024)
  (func (export "proxy_on_context_create") (param i32 i32))
  (func (export "proxy_on_request_headers") (param i32 i32 i32) (result i32) i32.const 0)`;

const IMPORTS = `
  (import "env" "proxy_log" (func (param i32 i32 i32) (result i32)))
  (import "env" "proxy_get_header_map_value" (func (param i32 i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_write" (func (param i32 i32 i32 i32) (result i32)))`;

export interface Fixtures {
  good: Buffer;
  /** Imports a WASI call no Proxy-Wasm host provides. */
  wasiMissing: Buffer;
  /** Imports a host function only Higress ≥ 2.1.4 has. */
  higressOnly: Buffer;
  /** A module without proxy_abi_version_*. */
  noAbi: Buffer;
  html: Buffer;
  /** plugin.tar.gz as `oras pull` saves it: a tar.gz holding plugin.wasm. */
  tarGz: Buffer;
  truncated: Buffer;
}

export async function buildFixtures(): Promise<Fixtures> {
  const good = await assemble('good.wat', `(module ${IMPORTS} (func (export "proxy_abi_version_0_2_100")) ${PLUGIN_BODY})`);
  const wasiMissing = await assemble(
    'wasi.wat',
    `(module ${IMPORTS} (import "wasi_snapshot_preview1" "sock_open" (func (param i32 i32 i32 i32) (result i32))) (func (export "proxy_abi_version_0_2_100")) ${PLUGIN_BODY})`,
  );
  const higressOnly = await assemble(
    'higress-only.wat',
    `(module ${IMPORTS} (import "env" "proxy_get_upstream_hosts" (func (param i32 i32) (result i32))) (func (export "proxy_abi_version_0_2_100")) ${PLUGIN_BODY})`,
  );
  const noAbi = await assemble('no-abi.wat', `(module ${IMPORTS} ${PLUGIN_BODY} (func (export "_start")))`);
  const html = Buffer.from('<!DOCTYPE html>\n<html><head><title>Corp Proxy \u2013 Sign in</title></head><body>Please sign in</body></html>\n');
  return { good, wasiMissing, higressOnly, noAbi, html, tarGz: tarGz([['plugin.wasm', good]]), truncated: good.subarray(0, Math.floor(good.length * 0.6)) };
}

/** A ustar archive of files, gzipped (what `tar -czf` writes). */
export function tarGz(files: ReadonlyArray<readonly [string, Buffer]>): Buffer {
  return gzipSync(tar(files));
}

export function tar(files: ReadonlyArray<readonly [string, Buffer]>): Buffer {
  const parts: Buffer[] = [];
  for (const [name, data] of files) {
    const h = Buffer.alloc(512);
    h.write(name, 0, 100, 'utf8');
    h.write('0000644\0', 100);
    h.write('0000000\0', 108);
    h.write('0000000\0', 116);
    h.write(`${data.length.toString(8).padStart(11, '0')}\0`, 124);
    h.write('00000000000\0', 136);
    h.write('        ', 148);
    h.write('0', 156);
    h.write('ustar\0', 257);
    h.write('00', 263);
    let sum = 0;
    for (const b of h) sum += b;
    h.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148);
    parts.push(h, data, Buffer.alloc((512 - (data.length % 512)) % 512));
  }
  parts.push(Buffer.alloc(1024));
  return Buffer.concat(parts);
}
