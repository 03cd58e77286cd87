import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { binDirs, cacheRoot, ensureTemporalServer, goEnv, TEMPORAL_VERSIONS } from './temporal-server';

describe('the Temporal server build cache', () => {
  it('lives outside the clone: TENDERFLOW_CACHE_DIR, else $XDG_CACHE_HOME/tenderflow, else ~/.cache/tenderflow', () => {
    expect(cacheRoot({ TENDERFLOW_CACHE_DIR: '/ci/cache' })).toBe('/ci/cache');
    expect(cacheRoot({ XDG_CACHE_HOME: '/home/x/.cache' })).toBe('/home/x/.cache/tenderflow');
    expect(cacheRoot({})).toMatch(/\/\.cache\/tenderflow$/);
  });

  it('keeps one folder per pinned version, and Go module and build caches beside them', () => {
    expect(binDirs('/c')).toEqual({
      server: `/c/temporal-server/v${TEMPORAL_VERSIONS.server}/bin`,
      ui: `/c/temporal-ui/v${TEMPORAL_VERSIONS.ui}/bin`,
    });
    const env = goEnv('/c');
    expect([env.GOMODCACHE, env.GOCACHE, env.GOTOOLCHAIN]).toEqual(['/c/go/mod', '/c/go/build', 'local']);
  });

  it('says what to run when asked not to build and nothing is built', async () => {
    const saved = process.env.TENDERFLOW_CACHE_DIR;
    process.env.TENDERFLOW_CACHE_DIR = mkdtempSync(join(tmpdir(), 'tenderflow-empty-cache-'));
    try {
      await expect(ensureTemporalServer({ ui: false, build: false })).rejects.toThrow(
        `The Temporal server ${TEMPORAL_VERSIONS.server} is not built in ${process.env.TENDERFLOW_CACHE_DIR} yet: run node dist/scripts/ensure-temporal-server.js`,
      );
    } finally {
      if (saved === undefined) delete process.env.TENDERFLOW_CACHE_DIR;
      else process.env.TENDERFLOW_CACHE_DIR = saved;
    }
  });
});
