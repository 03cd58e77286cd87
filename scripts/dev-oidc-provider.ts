import { ConfigError, loadConfig } from '@tenderflow/config';
import {
  DEV_OIDC_AUDIENCE,
  DevOidcProviderRefused,
  startDevOidcProvider,
  temporalDevIdentities,
  temporalSecret,
} from './lib/dev-oidc-provider';

/**
 * The development OpenID provider as a process of its own (npm start supervises it):
 * OIDC_DEV_PORT (3001), AUTH_AUDIENCE (the API's), PUBLIC_BASE_URL (where the console is); with
 * OIDC_DEV_TEMPORAL_SECRETS_DIR, also the Temporal tokens of a secured cluster's identities for
 * TEMPORAL_NAMESPACE (each identity's secret in <dir>/<client id>.secret, made when missing).
 * Refuses NODE_ENV=production before it reads anything else.
 */
async function main(): Promise<void> {
  if (process.env.NODE_ENV === 'production')
    throw new DevOidcProviderRefused('the development OpenID provider refuses to start with NODE_ENV=production');
  const config = loadConfig();
  const provider = await startDevOidcProvider({
    port: config.oidcDev.port,
    apiBaseUrl: config.http.publicBaseUrl,
    audience: config.auth.audience ?? DEV_OIDC_AUDIENCE,
    nodeEnv: config.env,
    ...(config.oidcDev.temporalSecretsDir
      ? {
          temporal: temporalDevIdentities(
            config.temporal.namespace,
            (clientId) => temporalSecret(config.oidcDev.temporalSecretsDir!, clientId),
            `http://localhost:${config.temporal.uiPort}/auth/sso/callback`,
          ),
        }
      : {}),
  });
  process.stdout.write(`development OpenID provider: ${provider.issuer}/.well-known/openid-configuration\n`);
  const stop = () => void provider.close().then(() => process.exit(0));
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((err) => {
  process.stderr.write(
    `${err instanceof ConfigError || err instanceof DevOidcProviderRefused ? err.message : err instanceof Error ? err.stack : err}\n`,
  );
  process.exit(err instanceof DevOidcProviderRefused || err instanceof ConfigError ? 78 : 1);
});
