import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';

/** The workflow code `npm run build` bundles once (scripts/bundle-workflows.js), beside the compiled tree. */
export const WORKFLOW_BUNDLE = 'workflow-bundle.js';
/** What the bundle was made from: the digest of the compiled files it holds. */
export const WORKFLOW_BUNDLE_MANIFEST = 'workflow-bundle.json';

/**
 * An environment variable naming a bundle file to load instead (a test run's global setup bundles
 * the sources once for all its suites; an image may ship one). Whoever sets it vouches that the
 * file is the code it runs: the worker does not compare it with any tree.
 */
export const WORKFLOW_BUNDLE_ENV = 'WORKFLOW_BUNDLE';

/** The compiled folders the bundle's code comes from (the bundler follows imports into these). */
const SOURCES = ['workflows', 'libs', 'activities'];

/**
 * SHA-256 over every compiled `.js` file of the folders the workflow bundle is made of, by path and
 * content, in a fixed order: a tree compiled again from changed sources has another digest.
 */
export function compiledWorkflowSourcesDigest(distRoot: string): string {
  const hash = createHash('sha256');
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) =>
      a.name < b.name ? -1 : a.name > b.name ? 1 : 0,
    )) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.isFile() && entry.name.endsWith('.js')) {
        hash.update(`${relative(distRoot, path)}\0`);
        hash.update(readFileSync(path));
        hash.update('\0');
      }
    }
  };
  for (const folder of SOURCES) if (existsSync(join(distRoot, folder))) walk(join(distRoot, folder));
  return hash.digest('hex');
}

/**
 * The prebuilt bundle when it was made from this compiled tree; otherwise why not (none built, or
 * the tree was compiled again since, e.g. by `nest build` alone), and the worker bundles at start.
 */
export function prebuiltWorkflowBundle(distRoot: string): { codePath: string } | { reason: string } {
  const codePath = join(distRoot, WORKFLOW_BUNDLE);
  const manifestPath = join(distRoot, WORKFLOW_BUNDLE_MANIFEST);
  if (!existsSync(codePath) || !existsSync(manifestPath))
    return { reason: `no ${WORKFLOW_BUNDLE} in ${distRoot} (npm run build makes it)` };
  let recorded: unknown;
  try {
    recorded = (JSON.parse(readFileSync(manifestPath, 'utf8')) as { digest?: unknown }).digest;
  } catch (err) {
    return { reason: `${WORKFLOW_BUNDLE_MANIFEST} is unreadable: ${(err as Error).message}` };
  }
  if (recorded !== compiledWorkflowSourcesDigest(distRoot))
    return { reason: `${WORKFLOW_BUNDLE} was made from another build of ${distRoot}` };
  return { codePath };
}
