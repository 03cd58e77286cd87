/**
 * A workflow's state as parts, so that one step carries only what it changed (DESIGN 5: workflow
 * state is control, not content; a step's input stays bounded whatever the tender's size).
 *
 * A state object is cut one level deep: each top-level value that is not an array is one part named
 * by its key; each array is one part per element (`questions/000017`) and one part that holds its
 * length (`questions[]`). The workflow keeps the parts it last committed, as JSON text, and sends the
 * parts that differ; the commit activity applies them to `tender_state_parts` in PostgreSQL, which
 * the API assembles back into the state. Pure and deterministic: used by workflows and the API.
 */

/** Parts by name, each as its JSON text. */
export type Parts = Map<string, string>;

/** What one step changed: parts written (name, value) and parts that no longer exist. */
export interface PartsDelta {
  /** The whole state (the first commit of a run): every part not listed is removed. */
  full: boolean;
  upserts: [string, unknown][];
  removed: string[];
}

const LENGTH = '[]';
const pad = (i: number) => String(i).padStart(6, '0');

/** The state's parts. `undefined` values have no part. */
export function partsOf(state: object): Parts {
  const parts: Parts = new Map();
  for (const [key, value] of Object.entries(state)) {
    if (value === undefined) continue;
    if (Array.isArray(value)) {
      parts.set(`${key}${LENGTH}`, String(value.length));
      value.forEach((item, i) => parts.set(`${key}/${pad(i)}`, JSON.stringify(item ?? null)));
    } else {
      parts.set(key, JSON.stringify(value));
    }
  }
  return parts;
}

/** What differs from `before` to `after`; `before` undefined: everything (a full write). */
export function diffParts(before: Parts | undefined, after: Parts): PartsDelta {
  const upserts: [string, unknown][] = [];
  for (const [name, text] of after) if (before?.get(name) !== text) upserts.push([name, JSON.parse(text) as unknown]);
  const removed = before ? [...before.keys()].filter((name) => !after.has(name)) : [];
  return { full: before === undefined, upserts, removed };
}

/** The state again from its parts (name → value), as the API reads it from PostgreSQL. */
export function assembleParts<T>(parts: Iterable<[string, unknown]>): T {
  const state: Record<string, unknown> = {};
  const arrays = new Map<string, unknown[]>();
  const lengths = new Map<string, number>();
  for (const [name, value] of parts) {
    if (name.endsWith(LENGTH)) {
      lengths.set(name.slice(0, -LENGTH.length), Number(value));
      continue;
    }
    const slash = name.indexOf('/');
    if (slash < 0) {
      state[name] = value;
      continue;
    }
    const key = name.slice(0, slash);
    const index = Number(name.slice(slash + 1));
    let items = arrays.get(key);
    if (!items) arrays.set(key, (items = []));
    items[index] = value;
  }
  for (const [key, length] of lengths) {
    const items = arrays.get(key) ?? [];
    items.length = length;
    state[key] = items;
  }
  return state as T;
}
