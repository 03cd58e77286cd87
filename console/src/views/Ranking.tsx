import { api } from '../api/client';
import { useI18n } from '../i18n';
import { Loading, ScrollTable, useLoad } from '../ui';

/**
 * Each lot's ranking as the evaluation model computes it (GET /tenders/{id}/ranking): the model, the
 * tenders in order with their figures, a tie and its rule, what the ranking still waits for, and
 * what would change the winner (the price each other tender needed, the quality it lacked). Loaded
 * again whenever the tender's version moves.
 */
export function Ranking({ id, version }: { id: string; version: number }) {
  const { t, sek } = useI18n();
  const ranking = useLoad(() => api.GET('/tenders/{id}/ranking', { params: { path: { id } } }), [id, version]);
  const lots = ranking.data?.lots ?? [];
  return (
    <Loading loading={ranking.loading} problem={ranking.problem}>
      {lots.map((l) => {
        const label = `${t('ranking.lot', { lot: l.lot ?? t('requirements.allLots') })} · ${t(`ranking.model.${l.model.kind}`)}`;
        const needed = new Map((l.simulation?.pricesToWin ?? []).map((p) => [p.tenderer, p.priceSek]));
        return (
          <div key={l.lot ?? ''} data-lot={l.lot ?? ''}>
            <h3>{label}</h3>
            {l.missing.length > 0 && (
              <p>
                {t('ranking.waits', {
                  tenders: l.missing
                    .map((m) => `${m.supplier} (${m.price ? t('ranking.price') : t('ranking.consensus')})`)
                    .join(', '),
                })}
              </p>
            )}
            {l.ranking && (
              <ScrollTable label={label}>
                <table>
                  <thead>
                    <tr>
                      <th scope="col">{t('ranking.rank')}</th>
                      <th scope="col">{t('received.supplier')}</th>
                      <th scope="col">{t('ranking.priceCol')}</th>
                      <th scope="col">{t('ranking.figure')}</th>
                      <th scope="col">{t('ranking.toWin')}</th>
                    </tr>
                  </thead>
                  <tbody>
                    {l.ranking.ranked.map((r) => (
                      <tr key={r.tenderer} data-ranked={r.tenderer}>
                        <td>
                          {r.rank}
                          {r.tied ? ` (${t('ranking.tied')})` : ''}
                        </td>
                        <th scope="row">{r.tenderer}</th>
                        <td>{sek(r.priceSek)}</td>
                        <td>
                          {r.total !== undefined
                            ? t('ranking.points', {
                                total: r.total,
                                price: r.pricePoints ?? 0,
                                quality: r.qualityPoints ?? 0,
                              })
                            : r.comparisonPriceSek !== undefined
                              ? t('ranking.comparison', { sek: sek(r.comparisonPriceSek) })
                              : '–'}
                        </td>
                        <td>
                          {r.tenderer === l.ranking!.winner
                            ? t('ranking.winner')
                            : needed.has(r.tenderer)
                              ? needed.get(r.tenderer) === null
                                ? t('ranking.noPrice')
                                : t('ranking.priceToWin', { sek: sek(needed.get(r.tenderer)!) })
                              : '–'}
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </ScrollTable>
            )}
            {l.ranking?.tie?.undecided && <p>{t('ranking.lots', { tenders: l.ranking.tie.tenderers.join(', ') })}</p>}
          </div>
        );
      })}
    </Loading>
  );
}
