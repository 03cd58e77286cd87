import type { Actor } from '@tenderflow/domain/types';
import type { TenderState } from '@tenderflow/temporal-common/tender-types';
import { ProblemException } from '../common/problem';
import { accessOf, partnerView, viewFor } from './tender-access';

const state = {
  id: 'HSN-2026-00042',
  workflowId: 'tender-HSN-2026-00042',
  title: 'Laundry',
  organization: 'HSN',
  category: 'laundry',
  contractType: 'services',
  regime: 'national',
  procedure: 'simplified',
  estimatedValueSek: 4_000_000,
  phase: 'documents',
  participants: [
    { organization: 'KOMMA', name: 'Kommun A', status: 'joined', mandateReference: 'KF A', estimatedVolume: '40 %' },
    { organization: 'KOMMB', name: 'Kommun B', status: 'declined', declineReason: 'Own agreement' },
  ],
  deadlines: [],
  pastDeadlines: [
    {
      kind: 'coordination_response',
      at: '2026-12-09T22:59:59.000Z',
      lastDay: '2026-12-09',
      basis: 'policy',
      outcome: 'met',
      closedAt: 'x',
    },
  ],
  needsAnalysis: { need: 'secret need' },
  gateDecisions: [{ gate: 'decision_to_procure', decidedBy: { sub: 'bo', name: 'Bo' } }],
} as unknown as TenderState;

const actor = (org: string, roles: Actor['roles'] = ['partner']): Actor => ({ sub: 'x', name: 'X', org, roles });

describe('tender access', () => {
  it('knows the owner, admins and invited bodies; nobody else', () => {
    expect(accessOf(actor('HSN', ['procurement_officer']), state)).toBe('owner');
    expect(accessOf(actor('REGION', ['admin']), state)).toBe('owner');
    expect(accessOf(actor('KOMMB'), state)).toBe('participant');
    expect(accessOf(actor('KOMMC'), state)).toBeUndefined();
  });

  it("gives an invited body its invitation and the public fields, nothing of the others' or the internals", () => {
    const v = partnerView(state, 'KOMMB');
    expect(v).toEqual({
      view: 'partner',
      id: 'HSN-2026-00042',
      title: 'Laundry',
      organization: 'HSN',
      category: 'laundry',
      contractType: 'services',
      regime: 'national',
      procedure: 'simplified',
      estimatedValueSek: 4_000_000,
      phase: 'documents',
      invitation: {
        organization: 'KOMMB',
        name: 'Kommun B',
        status: 'declined',
        declineReason: 'Own agreement',
        responseDeadline: '2026-12-09',
      },
    });
  });

  it('answers a stranger with the 404 of a missing tender', () => {
    const err = (() => {
      try {
        viewFor(actor('KOMMC'), state);
      } catch (e) {
        return e;
      }
    })() as ProblemException;
    expect(err.getStatus()).toBe(404);
    expect(err.getResponse()).toMatchObject({
      detail: 'Tender HSN-2026-00042 does not exist',
      type: expect.stringMatching(/not-found$/),
    });
    expect(viewFor(actor('HSN', ['approver']), state)).toBe(state);
  });
});
