import { api } from '../api/client';
import { CHOICE_LABELS } from '../form-labels';
import { useI18n } from '../i18n';
import { Loading, ScrollTable, useLoad } from '../ui';

/**
 * The requirements register (GET /tenders/{id}/requirements): every requirement with its words, in
 * registration order, its kind, lot, sustainability criterion and how it is followed up or scored; a
 * withdrawn one struck through with its reason. Loaded again whenever the tender's version moves.
 */
export function Requirements({ id, version }: { id: string; version: number }) {
  const { t, date, locale } = useI18n();
  const register = useLoad(() => api.GET('/tenders/{id}/requirements', { params: { path: { id } } }), [id, version]);
  const choice = (field: string, value: string) => CHOICE_LABELS[locale][`${field}.${value}`] ?? value;
  const items = register.data?.items ?? [];
  return (
    <Loading loading={register.loading} problem={register.problem}>
      <ScrollTable label={t('requirements.title')}>
        <table>
          <thead>
            <tr>
              <th scope="col">{t('requirements.id')}</th>
              <th scope="col">{t('requirements.kind')}</th>
              <th scope="col">{t('requirements.text')}</th>
              <th scope="col">{t('requirements.lot')}</th>
              <th scope="col">{t('requirements.how')}</th>
            </tr>
          </thead>
          <tbody>
            {items.map((r) => (
              <tr key={r.id} data-requirement={r.id} className={r.withdrawn ? 'withdrawn' : undefined}>
                <th scope="row">{r.id}</th>
                <td>{choice('kind', r.kind)}</td>
                <td>
                  {r.withdrawn ? <del>{r.text}</del> : r.text}
                  <br />
                  <small>
                    {r.reference}
                    {r.sustainabilityCriterionId
                      ? ` · ${t('requirements.criterion', { id: r.sustainabilityCriterionId })}`
                      : ''}
                  </small>
                  {r.withdrawn && (
                    <>
                      <br />
                      <small>
                        {t('requirements.withdrawn', { who: r.withdrawn.by.name, when: date(r.withdrawn.at) })}
                        {r.withdrawalReason ? `: ${r.withdrawalReason}` : ''}
                      </small>
                    </>
                  )}
                </td>
                <td>{r.lot ?? t('requirements.allLots')}</td>
                <td>
                  {r.followUp && (
                    <>
                      {choice('method', r.followUp.method)}, {choice('frequency', r.followUp.frequency).toLowerCase()},{' '}
                      {choice('owner', r.followUp.owner).toLowerCase()}: {r.followUp.evidence}
                    </>
                  )}
                  {r.scoring &&
                    (r.scoring.weight !== undefined
                      ? t('requirements.weighted', { weight: r.scoring.weight, max: r.scoring.maxScore })
                      : t('requirements.deduction', { sek: r.scoring.maxDeductionSek ?? 0, max: r.scoring.maxScore }))}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </ScrollTable>
    </Loading>
  );
}
