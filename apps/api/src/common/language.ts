/** The languages problem details are written in; English is the default and the API's own. */
export type ProblemLanguage = 'sv' | 'en';

/**
 * The answer's language from Accept-Language (RFC 9110 §12.5.4): of Swedish and English, the one
 * with the highest weight (`sv-SE` counts as `sv`, `*` as English; on a tie the first named wins).
 * English when the header is absent, names neither, or refuses both with q=0.
 */
export function negotiateLanguage(header: string | string[] | undefined): ProblemLanguage {
  const value = Array.isArray(header) ? header.join(',') : (header ?? '');
  let best: ProblemLanguage = 'en';
  let bestWeight = 0;
  for (const range of value.split(',')) {
    const [tag = '', ...params] = range.split(';').map((p) => p.trim().toLowerCase());
    const q = params.find((p) => p.startsWith('q='));
    const weight = q === undefined ? 1 : Number(q.slice(2));
    if (!Number.isFinite(weight) || weight <= 0 || weight > 1) continue;
    const primary = tag.split('-')[0];
    const language: ProblemLanguage | undefined =
      primary === 'sv' ? 'sv' : primary === 'en' || tag === '*' ? 'en' : undefined;
    if (language && weight > bestWeight) {
      best = language;
      bestWeight = weight;
    }
  }
  return best;
}
