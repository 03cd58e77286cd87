import { TENDER_ID, tenderIdOf } from '@tenderflow/temporal-common/ids';
import { claimTenderNumber, keyedTender, nextTenderNumber } from './tender-numbers';

/** A database that answers each query in turn, and remembers what it was asked. */
function answering(...answers: unknown[]) {
  const asked: { sql: string; params?: unknown[] }[] = [];
  return {
    asked,
    db: {
      query: async <T>(sql: string, params?: unknown[]): Promise<T> => {
        asked.push({ sql, params });
        return answers.shift() as T;
      },
    },
  };
}

describe('tender numbers', () => {
  it("ORG-YYYY-NNNNN: five digits at least, the year as given (a number or the date's text)", () => {
    expect(tenderIdOf('HSN', 2026, '42')).toBe('HSN-2026-00042');
    expect(tenderIdOf('HSN', '2026', '42')).toBe('HSN-2026-00042');
    expect(tenderIdOf('REGION_1', 2027, '1234567')).toBe('REGION_1-2027-1234567');
    expect(['HSN-2026-00042', 'REGION_1-2027-1234567'].every((id) => TENDER_ID.test(id))).toBe(true);
  });

  it("the next number comes from the tenders' sequence", async () => {
    const { db, asked } = answering([{ n: '7' }]);
    expect(await nextTenderNumber(db, 'KOMMUN1', 2026)).toBe('KOMMUN1-2026-00007');
    expect(asked).toEqual([{ sql: `SELECT nextval('tender_number_seq') AS n`, params: undefined }]);
  });

  it('a claim that wins the key answers its number; one that loses answers none (the winner is looked up)', async () => {
    const key = { actorSub: 'contract-HSN-2026-00001', key: 'reprocurement:m1', requestHash: 'reprocurement' };
    const won = answering([{ n: '8' }], [{ tender_id: 'HSN-2026-00008' }]);
    expect(await claimTenderNumber(won.db, 'HSN', '2026', key)).toBe('HSN-2026-00008');
    expect(won.asked[1].params).toEqual([
      'contract-HSN-2026-00001',
      'reprocurement:m1',
      'reprocurement',
      'HSN-2026-00008',
    ]);
    const lost = answering([{ n: '9' }], []);
    expect(await claimTenderNumber(lost.db, 'HSN', '2026', key)).toBeUndefined();
  });

  it('a key already used names its tender and the hash of what was asked', async () => {
    expect(await keyedTender(answering([{ tender_id: 'HSN-2026-00003', request_hash: 'abc' }]).db, 'sub', 'k')).toEqual(
      { tenderId: 'HSN-2026-00003', requestHash: 'abc' },
    );
    expect(await keyedTender(answering([]).db, 'sub', 'k')).toBeUndefined();
  });
});
