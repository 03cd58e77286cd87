/**
 * A workflow's state as parts, so that one step carries only what it changed (ARCHITECTURE §5: workflow
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

/**
 * What a workflow keeps of the parts it committed: a 53-bit hash of each part's JSON text, not the
 * text (a running tender's memory is its state once, not twice). A changed part whose text hashes
 * the same would not be sent: with 53 bits, about one in 9 × 10^15 changes.
 */
export type PartHashes = Map<string, number>;

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

/** The hashes of the parts (hash53 of each JSON text: deterministic, no crypto in workflow code). */
export function hashesOf(parts: Parts): PartHashes {
  const hashes: PartHashes = new Map();
  for (const [name, text] of parts) hashes.set(name, hash53(text));
  return hashes;
}

/**
 * What differs from `before` (the hashes committed) to `after`; `before` undefined: everything (a full
 * write). `hashes`, when the caller has them already (hashesOf(after)), are not computed again.
 */
export function diffParts(before: PartHashes | undefined, after: Parts, hashes?: PartHashes): PartsDelta {
  const upserts: [string, unknown][] = [];
  for (const [name, text] of after)
    if (before?.get(name) !== (hashes?.get(name) ?? hash53(text))) upserts.push([name, JSON.parse(text) as unknown]);
  const removed = before ? [...before.keys()].filter((name) => !after.has(name)) : [];
  return { full: before === undefined, upserts, removed };
}

/**
 * Math.imul taken once: in the workflow sandbox (a vm context) every `Math` lookup goes through the
 * context's global object, which made the loop below ~50 times slower (600 ns a character, most of
 * a large tender's worker time; 12 ns a character once taken).
 */
const imul = Math.imul;

/**
 * A 53-bit hash of a text: two FNV-1a lanes over its UTF-16 code units (the second with another
 * offset basis and the position mixed in), the second lane's low 21 bits above the first's 32.
 */
export function hash53(text: string): number {
  let a = 0x811c9dc5;
  let b = 0x9e3779b9;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    a = imul(a ^ c, 0x01000193);
    b = imul(b ^ c ^ ((i * 0x9e37) & 0xffff), 0x01000193);
  }
  return (b & 0x1fffff) * 0x100000000 + (a >>> 0);
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
