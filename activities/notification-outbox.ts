import { createHash } from 'node:crypto';
import type { DataSource, EntityManager } from 'typeorm';
import { appendAuditEvents } from '@tenderflow/db/audit-writer';
import { eligibleApprovers, peopleWithRole, personBySub, type PersonRow } from '@tenderflow/db/directory';
import {
  isLocale,
  renderMessage,
  type Locale,
  type RenderedMessage,
  type TenderFacts,
} from '@tenderflow/notifications/render';
import { parseRecipient, type Recipient } from '@tenderflow/notifications/recipients';
import type { NotificationAbout, NotificationInput } from './activity-types';

export interface OutboxOptions {
  /** Base of the links in messages (PUBLIC_BASE_URL). */
  publicBaseUrl: string;
  /** The sender (NOTIFY_FROM); its domain names the Message-IDs. */
  from: string;
}

/** A notifications row as the resolver reads it. */
export interface NotificationRow {
  id: string;
  key: string;
  tender_id: string;
  kind: NotificationInput['kind'];
  recipients: string[];
  subject: string;
  body: string;
  about: NotificationAbout | null;
  tender: NotificationInput['tender'] | null;
}

/** A gate escalated because its approvers resolved to no one; recorded in the tender's audit chain after commit. */
export interface Escalation {
  tenderId: string;
  workflowId: string;
  gate: string;
  requestedAt: string;
  requestKey: string;
  notificationKey: string;
  recipients: string[];
  reason: string;
}

type Target = { via: string; recipient: Recipient; person?: PersonRow; address: string };
type Outcome =
  | { status: 'failed'; key: string; recipient: string; person?: PersonRow; error: string }
  | { status: 'sent'; key: string; recipient: string; channel: 'outbox'; response: string };

const COLUMNS = `id, key, tender_id, kind, recipients, subject, body, about, tender`;

/** Inserts a workflow's message, resolves it into deliveries and escalates, in the caller's transaction. Idempotent by key. */
export async function queueNotification(
  m: EntityManager,
  n: NotificationInput,
  opts: OutboxOptions,
  runId?: string,
): Promise<Escalation[]> {
  const rows: NotificationRow[] = await m.query(
    `INSERT INTO notifications (key, tender_id, kind, recipients, subject, body, about, tender, run_id) VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9)
     ON CONFLICT (key) DO NOTHING RETURNING ${COLUMNS}`,
    [
      n.key,
      n.tenderId,
      n.kind,
      n.recipients,
      n.subject,
      n.body,
      n.about ? JSON.stringify(n.about) : null,
      n.tender ? JSON.stringify(n.tender) : null,
      runId ?? null,
    ],
  );
  return rows.length ? resolveNotification(m, rows[0], opts) : [];
}

/**
 * The key a run's message is queued under: its own, unless another run of the workflow took it (an
 * operator's reset numbers the new run's messages from the reset point on, like its audit events).
 */
export async function notificationKeyForRun(m: EntityManager, key: string, runId: string | undefined): Promise<string> {
  if (!runId) return key;
  const [taken]: { run_id: string | null }[] = await m.query(`SELECT run_id FROM notifications WHERE key = $1`, [key]);
  return taken && taken.run_id !== null && taken.run_id !== runId ? `${key}@${runId}` : key;
}

/**
 * Resolves unresolved notifications (queued before this resolver existed, or by a worker that
 * failed between its insert and its resolution: neither happens in one transaction, but a
 * migration leaves old rows). Claimed with SKIP LOCKED so that several workers may run.
 */
export async function resolvePendingNotifications(ds: DataSource, opts: OutboxOptions, batch = 50): Promise<number> {
  const escalations: Escalation[] = [];
  const count = await ds.transaction(async (m) => {
    const rows: NotificationRow[] = await m.query(
      `SELECT ${COLUMNS} FROM notifications WHERE resolved_at IS NULL ORDER BY id LIMIT $1 FOR UPDATE SKIP LOCKED`,
      [batch],
    );
    for (const r of rows) escalations.push(...(await resolveNotification(m, r, opts)));
    return rows.length;
  });
  await auditEscalations(ds, escalations);
  return count;
}

/**
 * One notification into deliveries: one queued e-mail per person (or address) it reaches, in the
 * person's language; one failed delivery per recipient that reaches no one, with the reason (never
 * a silent drop). A gate request whose approvers reach no one is escalated at once.
 */
export async function resolveNotification(
  m: EntityManager,
  n: NotificationRow,
  opts: OutboxOptions,
): Promise<Escalation[]> {
  const tender = await tenderFacts(m, n.tender_id, n.tender);
  const targets: Target[] = [];
  const outcomes: Outcome[] = [];
  let approversReached = 0;
  let unreachableApprovers: PersonRow[] = [];

  for (const via of n.recipients) {
    const r = parseRecipient(via);
    const found = await lookUp(m, r, via, n.about);
    if ('error' in found) {
      outcomes.push({
        status: 'failed',
        key: `unresolved:${via}`,
        recipient: via,
        error: `unresolvable recipient ${via}: ${found.error}`,
      });
      continue;
    }
    if ('outbox' in found) {
      outcomes.push({
        status: 'sent',
        key: `outbox:${via}`,
        recipient: via,
        channel: 'outbox',
        response: found.outbox,
      });
      continue;
    }
    for (const p of found.people) {
      if (!p.email) {
        outcomes.push({
          status: 'failed',
          key: `person:${p.sub}`,
          recipient: via,
          person: p,
          error: `${p.name} (${p.sub}) has no e-mail address in the directory`,
        });
        continue;
      }
      targets.push({ via, recipient: r, person: p, address: p.email });
    }
    for (const address of found.addresses) targets.push({ via, recipient: r, address });
    if (isApproverRole(r) && n.about?.topic === 'gate_request') {
      approversReached += found.people.filter((p) => p.email).length;
      unreachableApprovers = found.people.filter((p) => !p.email);
    }
  }

  // One e-mail per person, and per address: the first recipient that reached them names why.
  const seen = new Set<string>();
  for (const t of targets) {
    const id = t.person ? `person:${t.person.sub}` : `email:${t.address.toLowerCase()}`;
    const address = `email:${t.address.toLowerCase()}`;
    if (seen.has(id) || seen.has(address)) continue;
    seen.add(id);
    seen.add(address);
    const locale: Locale = t.person && isLocale(t.person.locale) ? t.person.locale : 'sv';
    let rendered: RenderedMessage;
    try {
      rendered = renderMessage(
        {
          key: n.key,
          kind: n.kind,
          tender: tender.facts,
          about: n.about ?? undefined,
          fallback: { subject: n.subject, body: n.body },
        },
        { name: t.person?.name, via: t.recipient, locale },
        opts.publicBaseUrl,
      );
    } catch (err) {
      // A message that cannot be written is this person's failed delivery, not a tender stalled on its outbox.
      outcomes.push({
        status: 'failed',
        key: id,
        recipient: t.via,
        person: t.person,
        error: `the message could not be written: ${(err as Error).message}`,
      });
      continue;
    }
    await m.query(
      `INSERT INTO notification_deliveries (notification_id, recipient_key, recipient, person_sub, person_name, address, channel, locale,
         subject, body, calendar, message_id, status)
       VALUES ($1,$2,$3,$4,$5,$6,'email',$7,$8,$9,$10,$11,'queued') ON CONFLICT (notification_id, recipient_key) DO NOTHING`,
      [
        n.id,
        id,
        t.via,
        t.person?.sub ?? null,
        t.person?.name ?? null,
        t.address,
        locale,
        rendered.subject,
        rendered.text,
        rendered.calendar ?? null,
        messageId(`${n.key}|${id}`, opts.from),
      ],
    );
  }
  for (const o of outcomes) {
    await m.query(
      `INSERT INTO notification_deliveries (notification_id, recipient_key, recipient, person_sub, person_name, channel, status, last_error,
         smtp_response, sent_at, failed_at)
       VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9, CASE WHEN $7 = 'sent' THEN now() END, CASE WHEN $7 = 'failed' THEN now() END)
       ON CONFLICT (notification_id, recipient_key) DO NOTHING`,
      o.status === 'failed'
        ? [n.id, o.key, o.recipient, o.person?.sub ?? null, o.person?.name ?? null, 'none', 'failed', o.error, null]
        : [n.id, o.key, o.recipient, null, null, o.channel, 'sent', null, o.response],
    );
  }
  await m.query(`UPDATE notifications SET resolved_at = now() WHERE id = $1`, [n.id]);

  if (
    n.about?.topic === 'gate_request' &&
    approversReached === 0 &&
    n.recipients.some((r) => isApproverRole(parseRecipient(r)))
  ) {
    return escalate(m, n, n.about, unreachableApprovers, tender, opts);
  }
  return [];
}

async function escalate(
  m: EntityManager,
  n: NotificationRow,
  about: Extract<NotificationAbout, { topic: 'gate_request' }>,
  unreachable: PersonRow[],
  tender: { facts: TenderFacts; workflowId: string },
  opts: OutboxOptions,
): Promise<Escalation[]> {
  const e = about.eligibility;
  const org = e.organization;
  const recipients = [
    ...(tender.facts.category ? [`role:category_manager@${org}#${tender.facts.category}`] : []),
    `role:admin@${org}`,
  ];
  const reason = unreachable.length
    ? `the eligible approvers (${unreachable.map((p) => p.sub).join(', ')}) have no e-mail address in the directory`
    : `no active approver of ${org} in the directory has an approval limit of at least ${e.minApprovalLimitSek} SEK and is other than ${e.excluded.join(', ')}`;
  const key = `${n.key}:escalated`;
  const escalation: NotificationInput = {
    key,
    tenderId: n.tender_id,
    kind: 'escalation',
    recipients,
    subject: `${n.tender_id}: no one can decide ${about.gate}`,
    body: `The ${about.gate} decision asked for by ${about.requestedBy.name} reaches no one: ${reason}. Escalated to the category manager and the administrators of ${org}.`,
    about: {
      topic: 'gate_escalated',
      gate: about.gate,
      since: about.since,
      requestedBy: about.requestedBy,
      eligibility: e,
      unreachable: unreachable.map((p) => ({ sub: p.sub, name: p.name })),
    },
    ...(n.tender ? { tender: n.tender } : {}),
  };
  await m.query(
    `INSERT INTO gate_escalations (tender_id, gate, requested_at, reason, request_key, notification_key, recipients)
     VALUES ($1,$2,$3,$4,$5,$6,$7) ON CONFLICT DO NOTHING`,
    [n.tender_id, about.gate, new Date(about.since), reason, n.key, key, recipients],
  );
  const further = await queueNotification(m, escalation, opts);
  return [
    {
      tenderId: n.tender_id,
      workflowId: tender.workflowId,
      gate: about.gate,
      requestedAt: about.since,
      requestKey: n.key,
      notificationKey: key,
      recipients,
      reason,
    },
    ...further,
  ];
}

/** Writes each escalation to its tender's audit chain (idempotent by the escalation's key). */
export async function auditEscalations(ds: DataSource | EntityManager, escalations: Escalation[]): Promise<void> {
  for (const e of escalations) {
    await appendAuditEvents(
      ds,
      [
        {
          tenderId: e.tenderId,
          workflowId: e.workflowId,
          seq: 0,
          type: 'gate.escalated',
          actor: null,
          at: new Date().toISOString(),
          reason: e.reason,
          payload: {
            gate: e.gate,
            requestedAt: e.requestedAt,
            request: e.requestKey,
            notification: e.notificationKey,
            recipients: e.recipients,
          },
        },
      ],
      () => `outbox:${e.notificationKey}`,
    );
  }
}

/** The escalations an earlier attempt of this message recorded (a retried activity finds its rows written). */
export async function escalationsOf(ds: DataSource | EntityManager, requestKey: string): Promise<Escalation[]> {
  const rows: {
    tender_id: string;
    gate: string;
    requested_at: Date;
    request_key: string;
    notification_key: string;
    recipients: string[];
    reason: string;
    workflow_id: string | null;
  }[] = await ds.query(
    `SELECT e.*, t.workflow_id FROM gate_escalations e LEFT JOIN tenders t ON t.id = e.tender_id WHERE e.request_key = $1`,
    [requestKey],
  );
  return rows.map((r) => ({
    tenderId: r.tender_id,
    workflowId: r.workflow_id ?? `tender-${r.tender_id}`,
    gate: r.gate,
    requestedAt: r.requested_at.toISOString(),
    requestKey: r.request_key,
    notificationKey: r.notification_key,
    recipients: r.recipients,
    reason: r.reason,
  }));
}

type Found = { people: PersonRow[]; addresses: string[] } | { error: string } | { outbox: string };

async function lookUp(m: EntityManager, r: Recipient, via: string, about: NotificationAbout | null): Promise<Found> {
  switch (r.type) {
    case 'user': {
      const p = await personBySub(m, r.sub);
      if (!p) return { error: `${r.sub} is not in the directory (has never signed in and was not imported)` };
      if (!p.active) return { error: `${p.name} (${p.sub}) is inactive in the directory` };
      return { people: [p], addresses: [] };
    }
    case 'role': {
      if (r.role === 'approver' && about?.topic === 'gate_request') {
        const people = await eligibleApprovers(m, about.eligibility, about.requestedBy.sub);
        if (people.length === 0) {
          const e = about.eligibility;
          return {
            error: `no active approver of ${e.organization} in the directory may decide ${about.gate} (approval limit of at least ${e.minApprovalLimitSek} SEK, other than ${e.excluded.join(', ')})`,
          };
        }
        return { people, addresses: [] };
      }
      const people = await peopleWithRole(m, r.organization, r.role, r.category);
      if (people.length === 0)
        return {
          error: `no active ${r.role} of ${r.organization}${r.category ? ` for category ${r.category}` : ''} in the directory`,
        };
      return { people, addresses: [] };
    }
    case 'org': {
      const people = await peopleWithRole(m, r.organization, 'partner');
      if (people.length === 0)
        return {
          error: `no contact address for ${r.organization}: no partner of it in the directory, and the invitation names no contact e-mail`,
        };
      return { people, addresses: [] };
    }
    case 'email':
      return { people: [], addresses: [r.address] };
    case 'supplier':
      return {
        error: `no e-mail address is known for supplier ${r.id}: tenderers are not in the directory (they are notified through the procurement platform)`,
      };
    case 'adverts':
      return {
        outbox: `recorded in the outbox for the advertising database ${r.database} (the default adapter); no e-mail`,
      };
    default:
      return { error: `${via} is not a recipient this system knows (user:, role:, email:, org:, supplier:, adverts:)` };
  }
}

function isApproverRole(r: Recipient): boolean {
  return r.type === 'role' && r.role === 'approver';
}

/** The read model's row of the tender, with what the workflow said of it when it wrote the message over it. */
async function tenderFacts(
  m: EntityManager,
  id: string,
  told: NotificationRow['tender'],
): Promise<{ facts: TenderFacts; workflowId: string }> {
  const rows: {
    title: string;
    organization: string;
    category: string;
    estimated_value_sek: string;
    next_deadline: Date | null;
    next_deadline_kind: string | null;
    workflow_id: string;
  }[] = await m.query(
    `SELECT title, organization, category, estimated_value_sek, next_deadline, next_deadline_kind, workflow_id FROM tenders WHERE id = $1`,
    [id],
  );
  const t = rows[0];
  const facts: TenderFacts = t
    ? {
        id,
        title: t.title,
        organization: t.organization,
        category: t.category,
        estimatedValueSek: Number(t.estimated_value_sek),
        nextDeadline:
          t.next_deadline && t.next_deadline_kind
            ? { kind: t.next_deadline_kind, at: t.next_deadline.toISOString() }
            : null,
      }
    : { id };
  return { workflowId: t?.workflow_id ?? `tender-${id}`, facts: told ? { ...facts, ...told } : facts };
}

/** A Message-ID stable for a delivery (the same on every retry), so that receivers can recognise a repeat. */
export function messageId(seed: string, from: string): string {
  return `<${createHash('sha256').update(seed).digest('hex').slice(0, 32)}@${domainOf(from)}>`;
}

/** The per-tender thread root that every message of a tender refers to. */
export function threadRoot(tenderId: string, from: string): string {
  return `<tender.${tenderId.replace(/[^A-Za-z0-9.-]/g, '-')}@${domainOf(from)}>`;
}

function domainOf(from: string): string {
  const at = from.lastIndexOf('@');
  return at >= 0 ? from.slice(at + 1).replace(/[>\s]/g, '') || 'tenderflow.localdomain' : 'tenderflow.localdomain';
}
