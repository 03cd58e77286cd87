import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { api } from '../api/client';
import { useI18n } from '../i18n';
import type { LeadTimesReport } from '../types';
import { Loading, useLoad } from '../ui';

/** GET /metrics/lead-times drawn per category: phases and gate waits, p50 and p90 in days (Recharts). */
export function LeadTimes() {
  const { t, term } = useI18n();
  const report = useLoad(
    () => api.GET('/metrics/lead-times', {}) as Promise<{ data?: LeadTimesReport; error?: unknown }>,
    [],
  );
  return (
    <>
      <h1>{t('lead.title')}</h1>
      <p>{t('lead.intro')}</p>
      <Loading loading={report.loading} problem={report.problem}>
        {report.data?.categories.length ? (
          report.data.categories.map((c) => (
            <section key={c.category} aria-labelledby={`lt-${c.category}`}>
              <h2 id={`lt-${c.category}`}>{c.category}</h2>
              <h3>{t('lead.phases')}</h3>
              <Chart
                rows={c.phases.map((p) => ({ name: term(p.phase), p50: p.p50Days, p90: p.p90Days }))}
                label={`${c.category}: ${t('lead.phases')}`}
              />
              <h3>{t('lead.gates')}</h3>
              <Chart
                rows={c.gates.map((g) => ({
                  name: term(g.gate),
                  p50: g.decided.p50Days ?? g.pending.p50Days ?? 0,
                  p90: g.decided.p90Days ?? g.pending.oldestDays ?? 0,
                }))}
                label={`${c.category}: ${t('lead.gates')}`}
              />
            </section>
          ))
        ) : (
          <p>{t('common.none')}</p>
        )}
      </Loading>
    </>
  );
}

function Chart({ rows, label }: { rows: { name: string; p50: number; p90: number }[]; label: string }) {
  const { t } = useI18n();
  if (!rows.length) return <p>{t('common.none')}</p>;
  return (
    <>
      <div
        role="img"
        aria-label={`${label}: ${rows.map((r) => `${r.name} p50 ${r.p50}, p90 ${r.p90} ${t('lead.days')}`).join('; ')}`}
        style={{ width: '100%', height: 260 }}
      >
        <ResponsiveContainer>
          <BarChart data={rows} margin={{ top: 8, right: 16, bottom: 8, left: 8 }}>
            <CartesianGrid strokeDasharray="3 3" />
            <XAxis dataKey="name" />
            <YAxis unit=" d" />
            <Tooltip />
            <Legend />
            <Bar dataKey="p50" name="p50" fill="#1f5f99" />
            <Bar dataKey="p90" name="p90" fill="#b35900" />
          </BarChart>
        </ResponsiveContainer>
      </div>
    </>
  );
}
