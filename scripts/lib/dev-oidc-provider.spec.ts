import { actorFromClaims } from '../../apps/api/src/auth/auth.service';
import { ROLES } from '@tenderflow/domain/types';
import {
  apiClaims,
  consoleRedirectUris,
  DEMO_ORGANISATIONS,
  DEMO_USERS,
  DevOidcProviderRefused,
  escapeHtml,
  startDevOidcProvider,
} from './dev-oidc-provider';

describe('the development OpenID provider', () => {
  it('seeds a demo user for every role, and the operational roles in both organisations of the group', () => {
    expect(new Set(DEMO_USERS.flatMap((u) => u.roles))).toEqual(new Set(ROLES));
    for (const org of Object.keys(DEMO_ORGANISATIONS)) {
      const roles = new Set(DEMO_USERS.filter((u) => u.org === org).flatMap((u) => u.roles));
      for (const role of ['procurement_officer', 'approver', 'contract_manager'] as const)
        expect({ org, role, seeded: roles.has(role) }).toEqual({ org, role, seeded: true });
    }
    expect(new Set(DEMO_USERS.map((u) => u.sub)).size).toBe(DEMO_USERS.length);
    // Every approver has an approval limit (the delegation order); nobody else has one.
    for (const u of DEMO_USERS)
      expect({ sub: u.sub, limit: u.approvalLimitSek !== undefined }).toEqual({
        sub: u.sub,
        limit: u.roles.includes('approver'),
      });
  });

  it("gives each demo user claims the API accepts as the same actor (the API's own claim rules)", () => {
    for (const u of DEMO_USERS) {
      expect(actorFromClaims({ sub: u.sub, ...apiClaims(u) })).toEqual({
        sub: u.sub,
        name: u.name,
        org: u.org,
        roles: u.roles,
        approvalLimitSek: u.approvalLimitSek,
        categories: u.categories,
      });
    }
  });

  it("redirects the console only to the API's /console/ origin", () => {
    expect(consoleRedirectUris('http://localhost:3000/')).toEqual([
      'http://localhost:3000/console/',
      'http://localhost:3000/console/callback',
    ]);
  });

  it('refuses NODE_ENV=production before loading anything', async () => {
    await expect(
      startDevOidcProvider({
        port: 0,
        apiBaseUrl: 'http://localhost:3000',
        audience: 'tenderflow-api',
        nodeEnv: 'production',
      }),
    ).rejects.toBeInstanceOf(DevOidcProviderRefused);
  });

  it('escapes what its pages show', () => {
    expect(escapeHtml(`<script>"x" & 'y'</script>`)).toBe(
      '&lt;script&gt;&quot;x&quot; &amp; &#39;y&#39;&lt;/script&gt;',
    );
  });
});
