import {
  chainTenderOf,
  contractWorkflowId,
  coordinationWorkflowId,
  organizationOfTender,
  tenderIdOf,
  tenderWorkflowId,
  TENDER_ID,
} from './ids';

describe('tender ids: one form, read back in one place', () => {
  const id = tenderIdOf('REGION_VG-2', 2026, '42');

  it('formats ORG-YYYY-NNNNN and the pattern accepts exactly that', () => {
    expect(id).toBe('REGION_VG-2-2026-00042');
    expect(TENDER_ID.test(id)).toBe(true);
    expect(TENDER_ID.test('hsn-2026-00042')).toBe(false);
    expect(TENDER_ID.test('HSN-26-00042')).toBe(false);
  });

  it('reads the organisation back from a tender or contract id, hyphens in the code included', () => {
    expect(organizationOfTender(id)).toBe('REGION_VG-2');
    expect(organizationOfTender(`${id}-K1`)).toBe('REGION_VG-2');
    expect(organizationOfTender('HSN-2026-123456')).toBe('HSN');
  });

  it('finds the tender whose chain a workflow writes into, and nothing for other ids', () => {
    expect(chainTenderOf(tenderWorkflowId(id))).toBe(id);
    expect(chainTenderOf(coordinationWorkflowId(id, 'KOMM'))).toBe(id);
    expect(chainTenderOf(contractWorkflowId(`${id}-K1`))).toBe(id);
    expect(chainTenderOf('reconciler')).toBeUndefined();
    expect(chainTenderOf('tender-hsn-2026-00042')).toBeUndefined();
  });
});
