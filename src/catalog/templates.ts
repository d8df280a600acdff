// Titles and explanations are templates with `{field}` placeholders, filled per finding; `{field|text}` shows
// the text where the field is missing or empty. A template is split at its placeholders once (bounded memo),
// then filled by concatenation.

/** Whatever gives a field's value by name (a finding's Fields). */
export interface FieldSource {
  get(name: string): string | undefined;
}

/** `{field}` or `{field|text shown when the field is empty}`: the field's name, then its fallback. */
export const PLACEHOLDER = /\{([A-Za-z_][A-Za-z0-9_]*)(?:\|([^{}]*))?\}/g;
/** Templates split at their placeholders: text, field name, fallback, text, …, text. */
const templates = new Map<string, string[]>();

/** Replace `{field}` placeholders with the fields' values; a missing or empty field reads as its fallback, else `?`. */
export function fillTemplate(template: string, fields: FieldSource): string {
  const parts = templateParts(template);
  let out = parts[0]!;
  for (let i = 1; i < parts.length; i += 3) out += shownValue(fields.get(parts[i]!), parts[i + 1]!) + parts[i + 2]!;
  return out;
}

function shownValue(v: string | undefined, fallback: string): string {
  return v ? v.replace(/\s+/g, ' ').slice(0, 200) : fallback;
}

/** A template split at its placeholders: text, field name, fallback, text, …, text. */
function templateParts(template: string): readonly string[] {
  let parts = templates.get(template);
  if (!parts) {
    parts = [];
    let last = 0;
    for (const m of template.matchAll(PLACEHOLDER)) {
      parts.push(template.slice(last, m.index), m[1]!, m[2] ?? '?');
      last = m.index + m[0].length;
    }
    parts.push(template.slice(last));
    if (templates.size >= 1000) templates.clear();
    templates.set(template, parts);
  }
  return parts;
}
