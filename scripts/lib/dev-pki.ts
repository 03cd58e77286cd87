import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { PROJECT_ROOT } from './binaries';
import { cacheRoot, goBinary, goEnv } from './temporal-server';

/** The client identities of a secured cluster (deploy/dev-pki/main.go): the certificate's common name. */
export const PKI_CLIENTS = ['tenderflow-api', 'tenderflow-worker', 'operator', 'temporal-ui'] as const;
export type PkiClient = (typeof PKI_CLIENTS)[number];

export interface CertPair {
  cert: string;
  key: string;
}

/** Where the development certificates are: files, never in the repository. */
export interface DevPki {
  dir: string;
  ca: string;
  /** The frontend's certificate (names: localhost, 127.0.0.1, ::1, temporal, temporal-frontend), of `ca`. */
  server: CertPair;
  /** The CA of the server's own services, and their one certificate (server and client, name temporal-internode). */
  internodeCa: string;
  internode: CertPair;
  clients: Record<PkiClient, CertPair>;
}

/** The certificates' files in `dir` (they may not exist yet). */
export function devPkiIn(dir: string): DevPki {
  const pair = (name: string): CertPair => ({ cert: join(dir, `${name}.pem`), key: join(dir, `${name}.key`) });
  return {
    dir,
    ca: join(dir, 'ca.pem'),
    server: pair('server'),
    internodeCa: join(dir, 'internode-ca.pem'),
    internode: pair('internode'),
    clients: Object.fromEntries(PKI_CLIENTS.map((c) => [c, pair(c)])) as Record<PkiClient, CertPair>,
  };
}

/**
 * The development CA and certificates of a secured cluster, written by deploy/dev-pki with the
 * machine's Go (the cluster is built with it too) into `dir`, by default ~/.cache/tenderflow/pki,
 * outside every clone. Kept when they exist, so that a cluster and its clients go on trusting each other.
 */
export function ensureDevPki(dir = join(cacheRoot(), 'pki'), opts: { force?: boolean } = {}): DevPki {
  const r = spawnSync(
    goBinary(),
    ['run', join(PROJECT_ROOT, 'deploy', 'dev-pki', 'main.go'), '-out', dir, ...(opts.force ? ['-force'] : [])],
    {
      encoding: 'utf8',
      env: goEnv(),
      cwd: PROJECT_ROOT,
    },
  );
  if (r.error || r.status !== 0) throw new Error(`deploy/dev-pki failed: ${r.error?.message ?? r.stderr}`);
  return devPkiIn(dir);
}
