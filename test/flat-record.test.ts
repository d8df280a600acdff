// The flat record reader (src/parse/flat-record.ts, the kernel's flatRecord): JSON access lines read
// without JSON.parse must give exactly the header JSON.parse's reading gives, and any line outside the
// flat subset must be left to JSON.parse.
import { afterEach, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { parseHeader, useFlatRecords } from '../src/parse/layouts.js';
import { FlatRecordReader } from '../src/parse/flat-record.js';

/** The header of a line read both ways: with the flat reader, and by JSON.parse alone. */
function bothWays(text: string): { flat: unknown; reference: unknown } {
  useFlatRecords(true);
  const flat = parseHeader(text);
  useFlatRecords(false);
  const reference = parseHeader(text);
  useFlatRecords(true);
  return { flat, reference };
}

afterEach(() => useFlatRecords(true));

// A Higress access-log line as its default format writes it (docs/formats.md §L5).
const ACCESS =
  '{"ai_log":"-","authority":"api.example.com","bytes_received":"0","bytes_sent":"91","downstream_local_address":"10.0.0.5:80",' +
  '"duration":"3","method":"GET","path":"/v1/orders","protocol":"HTTP/1.1","request_id":"5c1d0e7a-1f2b-4c3d-9e8f-0a1b2c3d4e5f",' +
  '"response_code":"503","response_flags":"UF","route_name":"orders","start_time":"2026-05-20T08:17:43.616Z",' +
  '"upstream_cluster":"outbound|8080||orders.default.svc.cluster.local","upstream_host":"10.0.3.21:8080",' +
  '"upstream_transport_failure_reason":"delayed_connect_error:_111","response_code_details":"upstream_reset_before_response_started{connection_failure}"}';

const KEYS = ['response_code', 'upstream_host', 'start_time', 'duration'];

describe('the flat record reader', () => {
  it('reads the default access line: the values JSON.parse gives, fresh strings', () => {
    const r = FlatRecordReader.create(KEYS)!;
    expect(r).not.toBeNull();
    expect(r.read(ACCESS)).toBe(true);
    const o = JSON.parse(ACCESS) as Record<string, unknown>;
    expect(KEYS.map((_, k) => r.value(k))).toEqual(KEYS.map((key) => o[key]));
    expect(bothWays(ACCESS).flat).toEqual(bothWays(ACCESS).reference);
  });

  it('reads null, true, false and whole numbers as JSON.parse does; the last of a repeated key wins', () => {
    const r = FlatRecordReader.create(KEYS)!;
    const line = '{"response_code":503,"upstream_host":null,"start_time":true,"duration":0,"upstream_host":"10.0.0.1:80","x":false,"y":123456789012345}';
    expect(r.read(line)).toBe(true);
    expect([r.value(0), r.value(1), r.value(2), r.value(3)]).toEqual([503, '10.0.0.1:80', true, 0]);
  });

  it('leaves to JSON.parse what it cannot read without decoding', () => {
    const r = FlatRecordReader.create(KEYS)!;
    for (const line of [
      '{"response_code":"503","path":"/a\\"b"}', // an escape
      '{"response_code": "503"}', // white space
      '{"response_code":"503","path":"/café"}', // beyond ASCII
      '{"response_code":-1}', // a sign
      '{"response_code":1.5}', // a fraction
      '{"response_code":1234567890123456}', // 16 digits
      '{"response_code":01}', // not JSON
      '{"response_code":"503"', // cut
      '{"response_code":"503"}}', // more after the record
      '{"response_code":"503","path":{"a":"b"}}', // nested
      '{}',
      '{"response_code":"50\t3"}', // a control character
    ]) {
      expect(r.read(line), line).toBe(false);
    }
  });

  it('gives the header JSON.parse gives on random records, flat or not (3,000 runs)', () => {
    const key = fc.constantFrom(
      'response_code',
      'response_flags',
      'response_code_details',
      'upstream_cluster',
      'upstream_host',
      'upstream_transport_failure_reason',
      'route_name',
      'authority',
      'method',
      'path',
      'start_time',
      'responseCode',
      'level',
      'msg',
      'user_agent',
      '__proto__',
      'response_cod',
      'response_code_',
    );
    const text = fc.oneof(
      { weight: 8, arbitrary: fc.constantFrom('-', '503', 'UF,URX', '2026-05-20T08:17:43.616Z', 'GET', '10.0.3.21:8080', '') },
      { weight: 10, arbitrary: fc.stringMatching(/^[ !#-[\]-~]{0,10}$/) }, // printable, no quote or backslash: flat
      { weight: 1, arbitrary: fc.string({ maxLength: 8 }) },
      { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 6 }) },
    );
    const value = fc.oneof(
      { weight: 30, arbitrary: text },
      fc.constant(null),
      fc.boolean(),
      fc.integer({ min: -5, max: 2 ** 40 }),
      fc.double({ noNaN: true, noDefaultInfinity: true }),
      fc.constant({ a: 'b' }),
      fc.constant([1, 'x']),
    );
    const pair = fc.tuple(key, value).map(([k, v]) => `${JSON.stringify(k)}:${JSON.stringify(v)}`);
    // Most records are access records (response_code first or among the others).
    const record = fc
      .tuple(fc.boolean(), value, fc.array(pair, { maxLength: 8 }))
      .map(([access, code, pairs]) => `{${[...(access ? [`"response_code":${JSON.stringify(code)}`] : []), ...pairs].join(',')}}`);
    // Damage a record now and then: a cut, a character put in, white space.
    const damaged = fc
      .tuple(record, fc.nat(), fc.constantFrom(null, null, null, null, null, null, null, null, null, '', ' ', '"', '\\', '}', ',', '\u0001', 'é', '0'))
      .map(([r, at, put]) => {
        if (put === null) return r;
        const i = at % (r.length + 1);
        return put === '' ? r.slice(0, i) : r.slice(0, i) + put + r.slice(i);
      });
    // How many lines took the flat path: the property must be about it, not only about JSON.parse.
    const probe = FlatRecordReader.create(['response_code'])!;
    let flatAccess = 0;
    fc.assert(
      fc.property(damaged, (line) => {
        if (probe.read(line) && probe.value(0) !== undefined) flatAccess++;
        const { flat, reference } = bothWays(line);
        expect(flat).toEqual(reference);
      }),
      { numRuns: 3000 },
    );
    expect(flatAccess).toBeGreaterThan(400);
  });
});
