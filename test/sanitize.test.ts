import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { stripControls, truncateDisplay } from '../src/sanitize.js';

const ESC = '\x1b';
const BEL = '\x07';
const ST = `${ESC}\\`;

/** C0 except TAB, plus ESC/BEL/CSI spelled out so a failure message names them. */
const FORBIDDEN = /[\x00-\x08\x0a-\x1f\x7f\x80-\x9f]/;
const FORBIDDEN_KEEP_NL = /[\x00-\x08\x0b-\x1f\x7f\x80-\x9f]/;

describe('stripControls: escape sequences', () => {
  const cases: [string, string, string][] = [
    ['CSI colour', `${ESC}[31;1mred${ESC}[0m`, 'red'],
    ['CSI cursor moves and erase', `a${ESC}[2J${ESC}[H${ESC}[10;20Hb${ESC}[K`, 'ab'],
    ['CSI private mode (hide cursor, alt screen)', `${ESC}[?25l${ESC}[?1049hx`, 'x'],
    ['CSI with intermediate byte', `${ESC}[0 qx`, 'x'],
    ['8-bit CSI 0x9B', `\x9b31mred\x9b0m`, 'red'],
    ['OSC window title, BEL-terminated', `${ESC}]0;pwned${BEL}log`, 'log'],
    ['OSC window title, ST-terminated', `${ESC}]2;pwned${ST}log`, 'log'],
    ['OSC 8 hyperlink', `${ESC}]8;;https://evil.example/${ST}click${ESC}]8;;${ST}`, 'click'],
    ['8-bit OSC with 8-bit ST', `\x9d0;title\x9cafter`, 'after'],
    ['DCS', `${ESC}Pq#0;2;0;0;0#1!6~${ST}x`, 'x'],
    ['8-bit DCS', `\x90q payload\x9cx`, 'x'],
    ['SOS, PM, APC', `${ESC}Xsos${ST}${ESC}^pm${ST}${ESC}_apc${ST}x`, 'x'],
    ['two-character ESC sequences', `${ESC}c${ESC}7${ESC}8${ESC}M${ESC}=x`, 'x'],
    ['nF charset and screen alignment', `${ESC}(B${ESC})0${ESC}#8x`, 'x'],
  ];
  for (const [name, input, want] of cases) {
    it(name, () => expect(stripControls(input)).toBe(want));
  }

  it('an unterminated OSC loses its introducer but hides nothing, not even the next line', () => {
    const out = stripControls(`${ESC}]0;title without end\nnext line`, { keepNewlines: true });
    expect(out).toBe('0;title without end\nnext line');
  });

  it('an unterminated CSI at the end of the text goes', () => {
    expect(stripControls(`abc${ESC}[31`)).toBe('abc31');
    expect(stripControls(`abc${ESC}[`)).toBe('abc');
  });

  it('sequences glued together cannot rebuild an escape', () => {
    const out = stripControls(`${ESC}${ESC}[31m[31m${ESC}`);
    expect(out).not.toContain(ESC);
    expect(stripControls(out)).toBe(out);
  });
});

describe('stripControls: single control characters', () => {
  it('makes C0 controls and DEL visible as Control Pictures', () => {
    expect(stripControls('a\x00b')).toBe('a\u2400b');
    expect(stripControls('bell\x07')).toBe('bell\u2407');
    expect(stripControls('back\x08\x08space')).toBe('back\u2408\u2408space');
    expect(stripControls('x\x7fy')).toBe('x\u2421y');
    expect(stripControls('lone escape\x1b')).toBe('lone escape\u241b');
    expect(stripControls('form\x0cfeed\x0bvt')).toBe('form\u240cfeed\u240bvt');
  });

  it('keeps TAB', () => {
    expect(stripControls('2026-05-20T08:15:40.110935Z\tinfo\txdsproxy\tmsg')).toBe(
      '2026-05-20T08:15:40.110935Z\tinfo\txdsproxy\tmsg',
    );
  });

  it('shows newlines unless asked to keep them; drops CR of CRLF, shows a bare CR', () => {
    expect(stripControls('a\nb')).toBe('a\u240ab');
    expect(stripControls('a\nb', { keepNewlines: true })).toBe('a\nb');
    expect(stripControls('a\r\nb', { keepNewlines: true })).toBe('a\nb');
    expect(stripControls('line\r')).toBe('line');
    expect(stripControls('progress 10%\rprogress 99%')).toBe('progress 10%\u240dprogress 99%');
  });

  it('replaces lone C1 controls (NEL would be a newline to some terminals) and lone surrogates', () => {
    expect(stripControls('a\u0085b')).toBe('a\ufffdb');
    expect(stripControls('a\ud800b')).toBe('a\ufffdb');
    expect(stripControls('a\udc00')).toBe('a\ufffd');
  });

  it('drops bidi overrides and isolates', () => {
    expect(stripControls('access\u202e nimda\u202c ok\u2066x\u2069')).toBe('access nimda okx');
  });

  it('keeps printable Unicode: Chinese, emoji, Control Pictures themselves', () => {
    const text = '插件 key-auth 加载失败：配置错误 😀 ␀ ─ é';
    expect(stripControls(text)).toBe(text);
    expect(stripControls(`${ESC}[1m插件${ESC}[0m加载失败`)).toBe('插件加载失败');
  });

  it('returns the same string object when nothing needs changing', () => {
    const text = '[2026-05-20 08:15:44.031][61][error][wasm] plain line';
    expect(stripControls(text)).toBe(text);
  });

  it('never throws on non-strings', () => {
    expect(stripControls(undefined as unknown as string)).toBe('');
  });
});

/** Strings full of escape-sequence fragments, controls and ordinary text. */
const hostile = fc
  .array(
    fc.oneof(
      fc.constantFrom(
        ESC,
        BEL,
        '\x9b',
        '\x9c',
        '\x9d',
        '\x90',
        '[',
        ']',
        '\\',
        ';',
        '0',
        '8;;',
        '31m',
        'P',
        '_',
        '^',
        'X',
        '(',
        '#',
        '\r',
        '\n',
        '\t',
        '\x00',
        '\x7f',
        '\u0085',
        '\u202e',
        '\ud800',
        '\udc00',
        '😀',
        '插件',
      ),
      fc.string({ unit: 'binary', maxLength: 4 }),
    ),
    { maxLength: 40 },
  )
  .map((parts) => parts.join(''));

describe('stripControls: properties', () => {
  it('never leaves ESC, BEL, 0x9B or any C0 but TAB; is idempotent', () => {
    fc.assert(
      fc.property(fc.oneof(hostile, fc.string({ unit: 'binary' })), (s) => {
        const out = stripControls(s);
        expect(out).not.toMatch(FORBIDDEN);
        expect(out).not.toContain('\x1b');
        expect(out).not.toContain('\x07');
        expect(out).not.toContain('\x9b');
        expect(stripControls(out)).toBe(out);
      }),
      { numRuns: 2000 },
    );
  });

  it('with keepNewlines only TAB and LF survive of C0; is idempotent', () => {
    fc.assert(
      fc.property(hostile, (s) => {
        const out = stripControls(s, { keepNewlines: true });
        expect(out).not.toMatch(FORBIDDEN_KEEP_NL);
        expect(stripControls(out, { keepNewlines: true })).toBe(out);
      }),
      { numRuns: 1000 },
    );
  });

  it('leaves text without controls unchanged', () => {
    const printable = fc
      .string({ unit: 'grapheme' })
      .filter((s) => !/[\x00-\x08\x0a-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]/.test(s));
    fc.assert(
      fc.property(printable, (s) => {
        expect(stripControls(s)).toBe(s);
      }),
    );
  });
});

describe('truncateDisplay', () => {
  it('keeps short text and cuts long text with an ellipsis', () => {
    expect(truncateDisplay('short', 10)).toBe('short');
    expect(truncateDisplay('exactly10!', 10)).toBe('exactly10!');
    expect(truncateDisplay('cannot fetch Wasm module', 10)).toBe('cannot fe…');
    expect(truncateDisplay('abc', 1)).toBe('…');
    expect(truncateDisplay('abc', 0)).toBe('');
    expect(truncateDisplay('abc', -3)).toBe('');
  });

  it('counts code points, so a surrogate pair is never split', () => {
    expect(truncateDisplay('😀😀😀', 3)).toBe('😀😀😀');
    expect(truncateDisplay('😀😀😀😀', 3)).toBe('😀😀…');
    expect(truncateDisplay('a😀b', 2)).toBe('a…');
    expect(truncateDisplay('插件加载失败', 4)).toBe('插件加…');
  });

  it('property: at most maxChars code points, a prefix of the input, no new lone surrogate', () => {
    const lone = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
    fc.assert(
      fc.property(
        fc.string({ unit: 'grapheme', maxLength: 60 }),
        fc.integer({ min: 1, max: 40 }),
        (s, max) => {
          const out = truncateDisplay(s, max);
          expect([...out].length).toBeLessThanOrEqual(max);
          if (out === s) {
            expect([...s].length).toBeLessThanOrEqual(max);
          } else {
            expect(out.endsWith('…')).toBe(true);
            expect(s.startsWith(out.slice(0, -1))).toBe(true);
            expect([...out].length).toBe(max);
          }
          if (!lone.test(s)) expect(out).not.toMatch(lone);
        },
      ),
      { numRuns: 1000 },
    );
  });
});
