import type { TenderState } from '@tenderflow/temporal-common/tender-types';
import { CHOICE_LABELS } from '../form-labels';
import { useI18n } from '../i18n';
import { ScrollTable } from '../ui';

/**
 * The tenders received with the prices read out at the opening, and each one's assessment: admitted
 * or rejected with the reason, the mandatory requirements it met, an abnormally low price's outcome.
 */
export function TendersReceived({ state }: { state: TenderState }) {
  const { t, sek, locale } = useI18n();
  const choice = (field: string, value: string) => CHOICE_LABELS[locale][`${field}.${value}`] ?? value;
  return (
    <ScrollTable label={t('received.title')}>
      <table>
        <thead>
          <tr>
            <th scope="col">{t('received.supplier')}</th>
            <th scope="col">{t('received.prices')}</th>
            <th scope="col">{t('received.assessment')}</th>
          </tr>
        </thead>
        <tbody>
          {state.tendersReceived.map((r) => {
            const a = state.assessments?.find((x) => x.supplier === r.supplier);
            const met = a?.requirements.filter((x) => x.met).length ?? 0;
            return (
              <tr key={r.supplier} data-tenderer={r.supplier}>
                <th scope="row">
                  {r.supplier}
                  {r.late ? ` (${t('received.late')})` : ''}
                </th>
                <td>
                  {(r.prices ?? []).map((p) => `${p.lot ? `${p.lot}: ` : ''}${sek(p.priceSek)}`).join(', ') ||
                    (r.lots ?? []).join(', ')}
                </td>
                <td>
                  {a ? (
                    <>
                      <strong>{choice('result', a.result)}</strong>
                      {a.reason ? `: ${a.reason}` : ''}
                      <br />
                      <small>
                        {t('received.requirementsMet', { met, total: a.requirements.length })}
                        {a.exclusion.groundFound ? ` · ${t('received.excluded')}` : ''}
                        {a.qualification.met ? '' : ` · ${t('received.notQualified')}`}
                        {(a.abnormallyLow ?? []).map(
                          (x) => ` · ${t('received.abnormallyLow', { outcome: choice('outcome', x.outcome) })}`,
                        )}
                      </small>
                    </>
                  ) : r.late ? (
                    ''
                  ) : (
                    t('received.notAssessed')
                  )}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </ScrollTable>
  );
}
