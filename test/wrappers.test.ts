// What the pages and tools a log is copied out of do to it (docs/formats.md §W11, §W14, §W19–§W21): each wrapper is
// written here from the tool's own format, around lines written from the gateway's formats, and the diagnosis behind
// it must be the diagnosis of the bare lines — on the fast path and without the prefilter.
import { describe, expect, it } from 'vitest';
import { jsonEnvelope, Unwrapper } from '../src/parse/wrappers.js';
import { Assembler } from '../src/parse/assemble.js';
import { diagnosePaste, topCause } from './helpers/diagnose.js';

const diagnose = diagnosePaste;
const top = topCause;

// Lines in the gateway's formats (docs/formats.md §L1, §L2, §L6, §A): Istio's text line of a module fetch that got a
// 404, an untimed TEXT access line of a reset upstream, and Envoy's crash text with its frames (a raw paste: the
// frames follow unindented, headerless).
const FETCH_404 =
  '2026-05-20T08:15:42.517302Z\terror\twasm\terror in applying failopen rbac config: cannot fetch Wasm module http://h:8002/plugins/key-auth/1.0.0/plugin.wasm: wasm module download request failed: status code 404';
const ACCESS_UC =
  '"GET /healthz HTTP/2" 503 UC upstream_reset_before_response_started{connection_termination} connection_closed "-" 0 95 0 - "10.1.2.3" "kube-probe/1.29" "0a1b2c3d" "api.example.com" "10.8.0.15:8080" outbound|80||api.shop.svc.cluster.local 10.8.1.2:37132 10.8.1.2:80 10.1.2.3:59375 - -';
const CRASH_RAW = ['Caught Segmentation fault, suspect faulting address 0x0', 'Backtrace (use tools/stack_decode.py to get line numbers):', '#0: __restore_rt [0x7f2c1e0a3420]', '#1: Envoy::Extensions::Common::Wasm::Context::onRequestHeaders() [0x55d0c4f1a2b3]'];
// A JSON access entry (§L5): a reset before the response, its cluster and host.
const ACCESS_JSON = JSON.stringify({
  start_time: '2026-05-20T08:15:44.382Z',
  method: 'POST',
  response_code: '503',
  response_flags: 'UF',
  response_code_details: 'upstream_reset_before_response_started{remote_connection_failure|delayed_connect_error:_No_route_to_host}',
  upstream_cluster: 'outbound|8080||predict.models.svc.cluster.local',
  upstream_host: '10.0.4.17:8080',
});
const ENVOY_INFO = '[2026-05-20 08:15:44.031][61][info][main] [source/server/server.cc:930] starting main dispatch loop';

const PASTES: Record<string, string[]> = {
  'a failed module fetch': [FETCH_404],
  'a reset upstream': [ACCESS_UC],
  'a JSON access entry': [ACCESS_JSON],
  "Envoy's crash text and frames": CRASH_RAW,
  'an Envoy line, then the crash text': [ENVOY_INFO, ...CRASH_RAW],
};

const wrapEach = (lines: string[], f: (l: string, i: number) => string): string => lines.map(f).join('\n');

/** Alibaba Cloud SLS: a Logtail container-stdout record (reserved `__…__` fields, Logtail's `_…_` ones, the line under `content`). */
const sls = (l: string, i: number): Record<string, string> => ({
  __source__: '10.0.0.12',
  __time__: String(1779264944 + i),
  __topic__: '',
  _container_name_: 'higress-gateway',
  _namespace_: 'higress-system',
  _pod_name_: 'higress-gateway-7d9f8b-x2k4p',
  _source_: 'stderr',
  _time_: '2026-05-20T08:15:44.123456789Z',
  content: l,
});
/** An Elasticsearch hit (`GET …/_search`, Kibana's JSON tab): Filebeat's event under `_source`, its `log` an object. */
const esHit = (l: string, i: number): Record<string, unknown> => ({
  _index: '.ds-logs-generic-default-2026.05.20-000001',
  _id: `Xy${i}Zq0Bcd`,
  _score: null,
  _source: { '@timestamp': '2026-05-20T08:15:44.123Z', log: { offset: i * 512, file: { path: '/var/log/containers/gw.log' } }, stream: 'stderr', message: l },
});

describe('a log store record per line (§W11, §W14)', () => {
  it("reads the line of an Elasticsearch hit, under `_source`'s message", () => {
    const hit = JSON.stringify(esHit(FETCH_404, 0));
    expect(jsonEnvelope(hit)).toBe(FETCH_404);
    // A document that is no hit (no `_index`) keeps its `_source` a field like any other.
    expect(jsonEnvelope(JSON.stringify({ _source: { message: 'x' } }))).toBeNull();
    expect(top(hit)).toBe('wasm-fetch-bad-address');
  });

  it.each(Object.entries(PASTES))('reads %s behind one record a line, printed compactly or over lines', (_name, lines) => {
    const bare = top(lines.join('\n'));
    expect(bare).toBeDefined();
    for (const record of [sls, esHit]) {
      expect(top(wrapEach(lines, (l, i) => JSON.stringify(record(l, i))))).toBe(bare);
      // Printed over lines (the console's JSON view, `jq .`): one object after another, each read as its line — a header
      // inside a member's string is the member's, and a line with no header still continues the record before it.
      const pretty = wrapEach(lines, (l, i) => JSON.stringify(record(l, i), null, 2));
      expect(top(pretty)).toBe(bare);
      expect(diagnose(pretty).stats.unparsed).toBe(0);
    }
  });
});

describe('a page that escaped the text as HTML (§W20)', () => {
  const escape = (t: string): string => t.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');

  it.each(Object.entries(PASTES))('reads %s as it was: its layouts, its cause and how it was found', (_name, lines) => {
    const bare = lines.join('\n');
    expect(top(escape(bare))).toBe(top(bare));
    expect(diagnose(escape(bare)).stats.layouts).toEqual(diagnose(bare).stats.layouts);
    expect(diagnose(escape(bare)).incidents[0]?.tier).toBe(diagnose(bare).incidents[0]?.tier);
  });

  it('reads back only entities: an ampersand in a query string stays', () => {
    const u = new Unwrapper();
    expect(u.unwrap('[2026-05-20T08:15:44.031Z] &quot;GET /a?x=1&amp;y=&lt;2&gt; HTTP/1.1&quot; 503').text).toBe('[2026-05-20T08:15:44.031Z] "GET /a?x=1&y=<2> HTTP/1.1" 503');
    expect(new Unwrapper().unwrap('"GET /a?x=1&y=2 HTTP/1.1" 503').text).toBe('"GET /a?x=1&y=2 HTTP/1.1" 503');
  });
});

describe('a numbered listing, and the command before it (§W19, §W21)', () => {
  const numberedBy = (prefix: (n: number) => string) => (lines: string[]) => lines.map((l, i) => `${prefix(i + 1)}${l}`).join('\n');
  const LISTINGS: Record<string, (lines: string[]) => string> = {
    'cat -n': numberedBy((n) => `${String(n).padStart(6)}\t`),
    'grep -n': numberedBy((n) => `${n}:`),
    "a viewer's gutter": numberedBy((n) => `${String(n).padStart(4)} | `),
    // grep's matches only: numbers that skip.
    'grep -n, lines apart': (lines) => lines.map((l, i) => `${40 + i * 7}:${l}`).join('\n'),
  };
  const cases = Object.entries(LISTINGS).flatMap(([listing, f]) => Object.entries(PASTES).map(([name, lines]) => [listing, name, f, lines] as const));

  it.each(cases)('reads %s of %s', (_listing, _name, f, lines) => {
    expect(top(f(lines))).toBe(top(lines.join('\n')));
  });

  it("peels grep's number before a line that starts with its time, and never a time or a date itself", () => {
    const u = new Unwrapper();
    expect(u.unwrap('1:19:15:15.186591549  Received first request').text).toBe('19:15:15.186591549  Received first request');
    for (const line of ['19:15:15.186591549  Received first request', '12:04:05 host gateway started', '2026-05-20 08:15:44 INFO start', `${FETCH_404}`]) {
      expect(new Unwrapper().unwrap(line).text).toBe(line);
    }
    // A number alone, its line no header and not the listing's first: not learnt from one line.
    expect(new Unwrapper().unwrap('17: something happened').text).toBe('17: something happened');
  });

  it('takes the command a paste shows before the log for no line of it', () => {
    for (const prompt of ['$ kubectl logs -n higress-system deploy/higress-gateway --tail=200', '$ docker logs higress-gateway-1', '# journalctl -u higress']) {
      for (const lines of Object.values(PASTES)) expect(top(`${prompt}\n${lines.join('\n')}`)).toBe(top(lines.join('\n')));
      expect(new Unwrapper().unwrap(prompt).text).toBeNull();
    }
    // A V8 fatal block's `#` lines are no prompt.
    expect(new Unwrapper().unwrap('# Fatal error in , line 0').text).toBe('# Fatal error in , line 0');
  });
});

describe("a terminal's hard wrap (§W22)", () => {
  const WARN_LONG =
    '[2026-05-20 08:15:44.031][61][warning][main] [source/server/server.cc:794] there is no configured limit to the number of allowed active connections. Set a limit via the runtime key overload.global_downstream_max_connections';
  /** Each line broken at `width` columns, the rest on further lines, as a terminal's copy gives it. */
  const hardWrap = (lines: string[], width: number): string =>
    lines
      .flatMap((l) => {
        const parts: string[] = [];
        for (let p = 0; p < l.length; p += width) parts.push(l.slice(p, p + width));
        return parts.length > 0 ? parts : [l];
      })
      .join('\n');

  it.each([80, 100, 120, 132])('joins the lines a width of %i cut, once the width shows twice', (width) => {
    for (const rest of [[FETCH_404], [ACCESS_UC], [ACCESS_JSON], [FETCH_404, ACCESS_UC]]) {
      const bare = [WARN_LONG, ...rest];
      const wrapped = hardWrap(bare, width);
      expect(top(wrapped)).toBe(top(bare.join('\n')));
      // The lines after the first width-long one are read as they were written: nothing unparsed.
      expect(diagnose(wrapped).stats.unparsed).toBe(0);
    }
  });

  it.each([80, 100])('joins a paste of one long line cut twice at %i columns: the third piece proves the width', (width) => {
    for (const line of [FETCH_404, ACCESS_UC, ACCESS_JSON]) {
      expect(line.length).toBeGreaterThan(2 * width);
      const wrapped = hardWrap([line], width);
      expect(top(wrapped)).toBe(top(line));
      expect(diagnose(wrapped).stats.unparsed).toBe(0);
      expect(diagnose(wrapped).incidents[0]!.tier).toBe(diagnose(line).incidents[0]!.tier);
    }
  });

  it('joins no header, no TAB-led or indented line, nothing after a line below warning, and no length seen once', () => {
    const messages = (lines: string[]): string[] => {
      const out: string[] = [];
      const a = new Assembler((e) => out.push(e.message));
      a.beginInput('t.log');
      lines.forEach((l, i) => a.line(l, i + 1, 0));
      a.flush();
      return out;
    };
    const info = '[2026-05-20 08:15:44.031][61][info][main] [source/server/server.cc:930] starting main dispatch loop for the server';
    const warn = WARN_LONG.slice(0, 100);
    // Info lines of one length, each followed by a line no layout reads: a prefilter skips them, so nothing is learnt.
    expect(messages([info, 'and a line', info, 'and a line', info, 'and a line']).every((m) => m.endsWith('\nand a line'))).toBe(true);
    // A length seen once teaches nothing.
    expect(messages([warn, 'cannot fetch Wasm module'])[0]).toMatch(/\ncannot fetch Wasm module$/);
    // Learnt (a length twice, after two different lines, each followed by an unread line), it joins the rest — and
    // never a header, a TAB-led line (a bullet) or an indented one.
    const other = `${warn.slice(0, -10)}xyzxyzxyzx`;
    const learnt = [warn, 'rest one', other, 'rest two'];
    const [first, second] = messages(learnt);
    expect(first).toMatch(/\nrest one$/);
    expect(second).toMatch(/[^\n]rest two$/);
    // The same line again (a log repeats a rejected config and what it prints after it) is no second sight of a width;
    // nor is what opens a line of structured text (a proto's `field {`, `key: value`, a closing brace) a rest.
    expect(messages([warn, 'rest one', warn.replace(/44/g, '45'), 'rest two'])[1]).toMatch(/\nrest two$/);
    expect(messages([warn, 'virtual_hosts {', other, 'virtual_hosts {'])[1]).toMatch(/\nvirtual_hosts \{$/);
    expect(messages([warn, 'name: "a"', other, 'name: "a"'])[1]).toMatch(/\nname: "a"$/);
    expect(messages([...learnt, warn, '\t* bullet'])[2]).toMatch(/\n\t\* bullet$/);
    expect(messages([...learnt, warn, '    indented'])[2]).toMatch(/\n {4}indented$/);
    expect(messages([...learnt, warn, FETCH_404])).toHaveLength(4);
    // Lines all as long as each other (a log of one fixed-width format) teach no width: no last piece is shorter.
    const fixed = Array.from({ length: 6 }, (_, i) => `unit-${i} reported state ok at 2026-05-20 08:15:4${i} from node-a host-b`);
    expect(fixed[0]!.length).toBeGreaterThanOrEqual(60);
    expect(messages(fixed)).toEqual(fixed);
    expect(diagnose(fixed.join('\n')).stats.unparsed).toBe(6);
    // A line taken for a second piece and followed by no third is a line of its own again, as it was read before.
    const istio = FETCH_404.slice(0, 90);
    expect(messages([istio, 'a line of its own', FETCH_404])).toEqual(messages([istio, 'a line of its own']).concat(messages([FETCH_404])));
    expect(diagnose([istio, 'a line of its own'].join('\n')).stats.layouts).toEqual({ 'istio-go': 1, unknown: 1 });
  });
});
