#!/usr/bin/env node
// The workflow code bundled once, at build time, into dist/workflow-bundle.js: the worker started
// from dist/ loads it (Worker.create({ workflowBundle: { codePath } })) instead of running webpack
// at every start-up, which costs seconds and leaves the worker hundreds of MiB heavier for good
// (test/bench, rss). Beside it, dist/workflow-bundle.json records the digest of the compiled files
// it was made from; a worker whose tree was compiled again since (nest build alone) bundles at
// start instead. Run after tsc and link-dist-workspaces (npm run build; buildDist in tests).
const { renameSync, writeFileSync } = require('node:fs');
const { join } = require('node:path');

const root = join(__dirname, '..');
const outDir = join(root, process.argv[2] ?? 'dist');

async function main() {
  const { bundleWorkflowCode } = require('@temporalio/worker');
  const { WORKFLOW_BUNDLE, WORKFLOW_BUNDLE_MANIFEST, compiledWorkflowSourcesDigest } = require(
    join(outDir, 'libs', 'temporal-common', 'src', 'workflow-bundle.js'),
  );
  const digest = compiledWorkflowSourcesDigest(outDir);
  const quiet = {
    log() {},
    trace() {},
    debug() {},
    info() {},
    warn: (m) => process.stderr.write(`${m}\n`),
    error: (m) => process.stderr.write(`${m}\n`),
  };
  const { code } = await bundleWorkflowCode({
    workflowsPath: require.resolve(join(outDir, 'workflows')),
    logger: quiet,
  });
  const write = (name, text) => {
    writeFileSync(join(outDir, `${name}.tmp`), text);
    renameSync(join(outDir, `${name}.tmp`), join(outDir, name));
  };
  write(WORKFLOW_BUNDLE, code);
  write(WORKFLOW_BUNDLE_MANIFEST, `${JSON.stringify({ digest, bundledAt: new Date().toISOString() })}\n`);
}

main().catch((err) => {
  process.stderr.write(`bundling the workflows failed: ${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
