// Unexplained error lines are grouped by a template: the message with its variable parts
// (numbers, addresses, ids, quoted values) replaced, so 500 copies of one error are one row.
import { stripControls } from '../sanitize.js';

const RULES: ReadonlyArray<readonly [RegExp, string]> = [
  [/\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/gi, '<uuid>'],
  [/\b\d{4}-\d\d-\d\d[T ]\d\d:\d\d:\d\d(?:[.,]\d+)?Z?\b/g, '<time>'],
  [/\b(?:\d{1,3}\.){3}\d{1,3}(?::\d+)?\b/g, '<ip>'],
  [/\[[0-9a-f:]+\](?::\d+)?/gi, '<ip>'],
  [/\b0x[0-9a-f]+\b/gi, '<hex>'],
  [/\b[0-9a-f]{16,}\b/gi, '<hex>'],
  [/"(?:[^"\\]|\\.){0,200}"/g, '"<str>"'],
  [/'(?:[^'\\]|\\.){0,200}'/g, "'<str>'"],
  [/\b\d+(?:\.\d+)*(?:ms|s|m|h|us|µs|ns|MiB|KiB|GiB|MB|KB|GB|B)?\b/g, '<n>'],
];

export function templateOf(message: string): string {
  // Escape sequences go first, or the number rule would eat their digits and leave debris.
  let t = stripControls(message.split('\n', 1)[0]!.slice(0, 500));
  for (const [re, rep] of RULES) t = t.replace(re, rep);
  return t.replace(/\s+/g, ' ').trim();
}
