import { parseArgs } from 'node:util';
import { ConfigError, loadConfig } from '@tenderflow/config';
import { ROLES, Role } from '@tenderflow/domain/types';
import { mintToken } from './lib/tokens';

/**
 * Mints a development token with the configured secret:
 *   npm run token -- --sub anna --roles procurement_officer --org HSN [--limit 5000000] [--categories lab,it] [--email anna@hsn.example]
 *   npm run token -- --sub rut --roles policy_admin --org REGION      (changes REGION's procurement policy)
 */
async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      sub: { type: 'string' },
      name: { type: 'string' },
      org: { type: 'string' },
      roles: { type: 'string' },
      limit: { type: 'string' },
      categories: { type: 'string' },
      email: { type: 'string' },
      ttl: { type: 'string', default: '28800' },
    },
  });
  const problems: string[] = [];
  if (!values.sub) problems.push('--sub is required (the person, e.g. anna)');
  if (!values.org) problems.push('--org is required (organisation code, e.g. HSN)');
  const roles = (values.roles ?? '')
    .split(',')
    .map((r) => r.trim())
    .filter(Boolean);
  const unknown = roles.filter((r) => !(ROLES as readonly string[]).includes(r));
  if (roles.length === 0) problems.push(`--roles is required: any of ${ROLES.join(', ')}`);
  if (unknown.length) problems.push(`--roles has unknown role(s) ${unknown.join(', ')}; known: ${ROLES.join(', ')}`);
  const limit = values.limit === undefined ? undefined : Number(values.limit);
  if (limit !== undefined && (!Number.isInteger(limit) || limit < 0))
    problems.push('--limit must be a whole number of SEK');
  const ttl = Number(values.ttl);
  if (!Number.isInteger(ttl) || ttl <= 0) problems.push('--ttl must be a positive number of seconds');
  if (problems.length) {
    process.stderr.write(`${problems.join('\n')}\n`);
    process.exit(2);
  }
  const config = loadConfig();
  if (!config.auth.secret) {
    process.stderr.write('AUTH_JWKS_URL is set: tokens come from the identity provider, not from this command\n');
    process.exit(2);
  }
  const token = await mintToken(
    config.auth.secret,
    {
      sub: values.sub!,
      name: values.name,
      org: values.org!,
      roles: roles as Role[],
      approvalLimitSek: limit,
      categories: values.categories
        ?.split(',')
        .map((c) => c.trim())
        .filter(Boolean),
      email: values.email,
    },
    { ttlSeconds: ttl, issuer: config.auth.issuer, audience: config.auth.audience },
  );
  process.stdout.write(`${token}\n`);
}

main().catch((err) => {
  process.stderr.write(`${err instanceof ConfigError ? err.message : err}\n`);
  process.exit(1);
});
