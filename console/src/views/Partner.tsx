import { useI18n } from '../i18n';
import { TenderActions, type PartnerView } from './Actions';

/**
 * An invited body's page of a joint procurement: the tender's public facts, its own invitation and
 * answer, and (while the invitation is open) the form to join with volume and mandate, or decline.
 */
export function PartnerTender({ view, onDone }: { view: PartnerView; onDone: () => void }) {
  const { t, term, sek } = useI18n();
  const inv = view.invitation;
  return (
    <>
      <h1>{view.title}</h1>
      <p>
        <span className="badge" data-testid="phase">
          {t('tender.phaseNow', { phase: term(view.phase) })}
        </span>{' '}
        {view.id} · {view.organization} · {view.category} · {sek(view.estimatedValueSek)}
      </p>
      <section aria-labelledby="invitation-h">
        <h2 id="invitation-h">{t('partner.invitation', { name: inv.name })}</h2>
        <dl className="inline">
          <dt>{t('partner.status')}</dt>
          <dd data-testid="invitation-status">{t(`partner.${inv.status}` as 'partner.invited')}</dd>
          {inv.responseDeadline && (
            <>
              <dt>{t('partner.deadline')}</dt>
              <dd>{inv.responseDeadline}</dd>
            </>
          )}
          {inv.estimatedVolume && (
            <>
              <dt>{t('partner.volume')}</dt>
              <dd>{inv.estimatedVolume}</dd>
            </>
          )}
          {inv.mandateReference && (
            <>
              <dt>{t('partner.mandate')}</dt>
              <dd>{inv.mandateReference}</dd>
            </>
          )}
          {inv.declineReason && (
            <>
              <dt>{t('partner.declineReason')}</dt>
              <dd>{inv.declineReason}</dd>
            </>
          )}
        </dl>
      </section>
      <TenderActions state={{ id: view.id, version: 0 }} onDone={onDone} />
    </>
  );
}
