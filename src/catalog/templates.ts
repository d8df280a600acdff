// Titles and explanations are templates with `{field}` placeholders, filled per finding. A
// template is split at its placeholders once (bounded memo), then filled by concatenation.

/** Whatever gives a field's value by name (a finding's Fields). */
export interface FieldSource {
  get(name: string): string | undefined;
}

const PLACEHOLDER = /\{([A-Za-z_][A-Za-z0-9_]*)\}/g;
/** Templates split at their placeholders: text, field name, text, …, text. */
const templates = new Map<string, string[]>();

/** Replace `{field}` placeholders with the fields' values; a missing or empty field reads as `?`. */
export function fillTemplate(template: string, fields: FieldSource): string {
  const parts = templateParts(template);
  let out = parts[0]!;
  for (let i = 1; i < parts.length; i += 2) out += shownValue(fields.get(parts[i]!)) + parts[i + 1]!;
  return out;
}

function shownValue(v: string | undefined): string {
  return v ? v.replace(/\s+/g, ' ').slice(0, 200) : '?';
}

/** A template split at its placeholders: text, field name, text, …, text. */
function templateParts(template: string): readonly string[] {
  let parts = templates.get(template);
  if (!parts) {
    parts = [];
    let last = 0;
    for (const m of template.matchAll(PLACEHOLDER)) {
      parts.push(template.slice(last, m.index), m[1]!);
      last = m.index + m[0].length;
    }
    parts.push(template.slice(last));
    if (templates.size >= 1000) templates.clear();
    templates.set(template, parts);
  }
  return parts;
}
