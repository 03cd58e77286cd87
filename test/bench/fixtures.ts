import { mintToken } from '../../scripts/lib/tokens';
import type { Actor } from '@tenderflow/domain/types';
import { BENCH_JWT_SECRET } from './system';

/** The population the benchmark works with: 20 organisations, 30 categories, realistic titles. */

export const ORGS = [
  'HSN',
  'RSTHLM',
  'KAROL',
  'SLSO',
  'TIOHUND',
  'SODERSJ',
  'DANDERYD',
  'NORRTULL',
  'SLLTRAFIK',
  'FOLKT',
  'KOMM',
  'NACKA',
  'SOLNA',
  'HUDDINGE',
  'TABY',
  'LIDINGO',
  'HANINGE',
  'BOTKYRKA',
  'SODERTALJE',
  'NORRTALJE',
];

export const CATEGORIES = [
  'lab-supplies',
  'it-hardware',
  'it-services',
  'software-licences',
  'medical-devices',
  'pharmaceuticals',
  'cleaning',
  'catering',
  'facility-management',
  'construction',
  'road-maintenance',
  'snow-clearing',
  'consultancy',
  'legal-services',
  'translation',
  'office-supplies',
  'furniture',
  'vehicles',
  'fuel',
  'energy',
  'telecom',
  'printing',
  'security-services',
  'waste-management',
  'transport-services',
  'healthcare-staffing',
  'textiles',
  'food-supplies',
  'training',
  'architecture',
];

export const TITLE_WORDS = [
  'Laboratory',
  'reagents',
  'framework',
  'agreement',
  'cleaning',
  'services',
  'hospital',
  'beds',
  'laptops',
  'monitors',
  'licences',
  'maintenance',
  'snow',
  'clearing',
  'school',
  'meals',
  'ambulance',
  'vehicles',
  'consultancy',
  'architecture',
  'renovation',
  'dental',
  'implants',
  'printing',
  'security',
  'guards',
  'waste',
  'collection',
  'transport',
  'fuel',
  'electricity',
  'staffing',
  'nurses',
  'textiles',
  'furniture',
  'telephony',
  'network',
  'equipment',
  'catering',
  'training',
];

export function titleFor(i: number): string {
  const w = (k: number) => TITLE_WORDS[(i * 7 + k * 13 + Math.floor(i / 40)) % TITLE_WORDS.length];
  return `${w(0)} ${w(1)} ${w(2)} ${2026 + (i % 4)}–${2029 + (i % 4)}`;
}

export interface Caller {
  actor: Actor;
  token: string;
}

/** One procurement officer per organisation. */
export async function officers(): Promise<Caller[]> {
  return Promise.all(
    ORGS.map(async (org) => {
      const actor: Actor = {
        sub: `bench-${org.toLowerCase()}`,
        name: `Bench Officer ${org}`,
        org,
        roles: ['procurement_officer'],
      };
      return {
        actor,
        token: await mintToken(
          BENCH_JWT_SECRET,
          { sub: actor.sub, name: actor.name, org, roles: actor.roles },
          { ttlSeconds: 24 * 3600 },
        ),
      };
    }),
  );
}

export async function caller(claims: Actor): Promise<Caller> {
  return {
    actor: claims,
    token: await mintToken(
      BENCH_JWT_SECRET,
      {
        sub: claims.sub,
        name: claims.name,
        org: claims.org,
        roles: claims.roles,
        ...(claims.approvalLimitSek !== undefined ? { approvalLimitSek: claims.approvalLimitSek } : {}),
      },
      { ttlSeconds: 24 * 3600 },
    ),
  };
}
