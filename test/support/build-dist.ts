import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { PROJECT_ROOT } from '../../scripts/lib/binaries';

/**
 * `npm run build` for specs that run the built processes, as deployed: compiles with
 * tsconfig.build.json, then links the workspace packages into dist/node_modules
 * (scripts/link-dist-workspaces.js) and bundles the workflows (scripts/bundle-workflows.js). Throws with the compiler's output when it fails.
 */
export function buildDist(): void {
  const steps = [
    [require.resolve('typescript/bin/tsc'), '-p', 'tsconfig.build.json'],
    [join(PROJECT_ROOT, 'scripts', 'link-dist-workspaces.js')],
    // The worker from dist/ runs this bundle: it must be the compiled tree's own workflows.
    [join(PROJECT_ROOT, 'scripts', 'bundle-workflows.js')],
  ];
  for (const argv of steps) {
    const r = spawnSync(process.execPath, argv, { cwd: PROJECT_ROOT, encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`${argv.join(' ')} failed (${r.status}):\n${r.stdout}${r.stderr}`);
  }
}
