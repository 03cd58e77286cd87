import { useState } from 'react';
import { currentToken } from '../auth';
import { useI18n } from '../i18n';

/** One file from the API, with the signed-in person's token, saved under `name`. */
export async function fetchFile(path: string): Promise<Blob> {
  const token = currentToken();
  const r = await fetch(path, { headers: token ? { Authorization: `Bearer ${token}` } : {} });
  if (!r.ok) {
    const problem = (await r.json().catch(() => ({}))) as { detail?: string };
    throw new Error(problem.detail ?? `${r.status}`);
  }
  return r.blob();
}

/** The whole audit trail, every page of GET /tenders/{id}/audit, as one JSON document. */
async function auditTrail(id: string): Promise<Blob> {
  const items: unknown[] = [];
  let cursor: string | null = null;
  do {
    const page = JSON.parse(
      await (await fetchFile(`/tenders/${id}/audit${cursor ? `?cursor=${cursor}` : ''}`)).text(),
    ) as { items: unknown[]; nextCursor?: string | null };
    items.push(...page.items);
    cursor = page.nextCursor ?? null;
  } while (cursor);
  const verify = JSON.parse(await (await fetchFile(`/tenders/${id}/audit/verify`)).text()) as unknown;
  return new Blob([JSON.stringify({ tenderId: id, verify, items }, null, 2)], { type: 'application/json' });
}

export function save(blob: Blob, name: string): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/**
 * The tender's documents for people: the individual report (PDF), its OCDS release, its audit trail,
 * the opening protocol and the evaluation report once issued, and each tenderer's award decision
 * notice (PDFs).
 */
export function Downloads({
  id,
  notices = [],
  documents = [],
}: {
  id: string;
  notices?: { n: number; supplier: string }[];
  documents?: { kind: 'opening_protocol' | 'evaluation_report' }[];
}) {
  const { t } = useI18n();
  const [problem, setProblem] = useState<string>();
  const files: {
    key: string;
    label: string;
    name: string;
    get: () => Promise<Blob>;
  }[] = [
    {
      key: 'report',
      label: t('downloads.report'),
      name: `individuell-rapport-${id}.pdf`,
      get: () => fetchFile(`/tenders/${id}/report?format=pdf`),
    },
    { key: 'ocds', label: t('downloads.ocds'), name: `ocds-${id}.json`, get: () => fetchFile(`/tenders/${id}/ocds`) },
    { key: 'audit', label: t('downloads.audit'), name: `handelselogg-${id}.json`, get: () => auditTrail(id) },
    ...documents.map((d) => {
      const path = d.kind === 'opening_protocol' ? 'opening-protocol' : 'evaluation-report';
      return {
        key: d.kind,
        label: t(d.kind === 'opening_protocol' ? 'downloads.openingProtocol' : 'downloads.evaluationReport'),
        name: `${path}-${id}.pdf`,
        get: () => fetchFile(`/tenders/${id}/decision-documents/${path}?format=pdf`),
      };
    }),
    ...notices.map((n) => ({
      key: `notice-${n.n}`,
      label: t('downloads.awardNotice', { supplier: n.supplier }),
      name: `tilldelningsbeslut-${id}-${n.n}.pdf`,
      get: () => fetchFile(`/tenders/${id}/award-notices/${n.n}?format=pdf`),
    })),
  ];
  return (
    <section aria-labelledby="downloads-h">
      <h2 id="downloads-h">{t('downloads.title')}</h2>
      <ul className="downloads">
        {files.map((f) => (
          <li key={f.key}>
            <button
              type="button"
              className="secondary"
              onClick={() => {
                setProblem(undefined);
                f.get().then(
                  (blob) => save(blob, f.name),
                  (e: unknown) => setProblem(e instanceof Error ? e.message : String(e)),
                );
              }}
            >
              {f.label}
            </button>
          </li>
        ))}
      </ul>
      {problem && (
        <p role="alert" className="problem">
          {t('downloads.failed', { detail: problem })}
        </p>
      )}
    </section>
  );
}
