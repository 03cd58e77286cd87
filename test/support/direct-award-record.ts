import type { DirectAwardDocumentation } from '@tenderflow/domain/direct-award';

/**
 * A direct award's documentation (19 a kap. 11 § LOU) as the tests make it: three suppliers asked,
 * two tendered, the cheaper one chosen. The contract it documents is signed with Fönsterputs AB.
 */
export const directAwardRecord: DirectAwardDocumentation = {
  competition: 'Prisförfrågan till tre leverantörer',
  suppliersAsked: [
    { name: 'Fönsterputs AB', orgNumber: '556000-0004', answer: 'tendered', priceSek: 640_000 },
    { name: 'Glans AB', answer: 'tendered', priceSek: 690_000 },
    { name: 'Skinande AB', answer: 'declined' },
  ],
  winner: { name: 'Fönsterputs AB', orgNumber: '556000-0004' },
  reason: 'Lägsta pris för jämförbar kvalitet',
};
