import { HttpException } from '@nestjs/common';
import { assertDistinctInvitees } from './tenders.service';

const body = (organization: string) => ({
  organization,
  name: `${organization} kommun`,
  contactEmail: `inkop@${organization.toLowerCase()}.se`,
});

/** POST /tenders: each body invited once, never the tender's own organisation (400 naming the field). */
describe('assertDistinctInvitees', () => {
  const refusal = (organization: string, invitedBodies: ReturnType<typeof body>[]) => {
    try {
      assertDistinctInvitees({ organization, invitedBodies });
    } catch (err) {
      expect(err).toBeInstanceOf(HttpException);
      const http = err as HttpException;
      return { status: http.getStatus(), body: http.getResponse() as { errors: { field: string; rule: string }[] } };
    }
    throw new Error('accepted');
  };

  it('refuses a body invited twice, naming the second', () => {
    const r = refusal('HSN', [body('KOMM'), body('LKPG'), body('KOMM')]);
    expect(r.status).toBe(400);
    expect(r.body.errors).toEqual([
      expect.objectContaining({ field: 'invitedBodies[2].organization', rule: 'duplicate' }),
    ]);
  });

  it("refuses the tender's own organisation as an invited body", () => {
    const r = refusal('HSN', [body('HSN')]);
    expect(r.status).toBe(400);
    expect(r.body.errors).toEqual([
      expect.objectContaining({ field: 'invitedBodies[0].organization', rule: 'own_organization' }),
    ]);
  });

  it('takes distinct other bodies, and none', () => {
    expect(() =>
      assertDistinctInvitees({ organization: 'HSN', invitedBodies: [body('KOMM'), body('LKPG')] }),
    ).not.toThrow();
    expect(() => assertDistinctInvitees({ organization: 'HSN' })).not.toThrow();
  });
});
