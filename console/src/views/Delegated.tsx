import type { GateAuthority } from '@tenderflow/temporal-common/tender-types';
import { useI18n } from '../i18n';
import type { InboxItem } from '../types';

/** A gate's item of the delegation order, in the page's language (issue 29). */
export function DelegationItemText({ d }: { d: NonNullable<InboxItem['delegation']> }) {
  const { t, sek } = useI18n();
  return (
    <>
      {t('approvals.itemText', { item: d.item, version: String(d.version), function: d.function })}
      {d.limitSek !== undefined && t('approvals.itemLimit', { limit: sek(d.limitSek) })}
      {d.passedOver?.length ? t('approvals.itemEscalated', { passed: d.passedOver.join(', ') }) : null}
    </>
  );
}

/** As what the signed-in person decides: their function, a further delegation, or standing in for someone absent. */
export function AuthorityNote({ a }: { a: GateAuthority }) {
  const { t } = useI18n();
  const text =
    a.via === 'substitute'
      ? a.asSubstituteFor
        ? t('approvals.as.substitute', { name: a.asSubstituteFor.name, function: a.function })
        : t('approvals.as.vacant', { function: a.function })
      : t(a.via === 'further' ? 'approvals.as.further' : 'approvals.as.delegate', { function: a.function });
  return <p className="authority">{text}</p>;
}
