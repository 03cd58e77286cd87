import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  compiledWorkflowSourcesDigest,
  prebuiltWorkflowBundle,
  WORKFLOW_BUNDLE,
  WORKFLOW_BUNDLE_MANIFEST,
} from './workflow-bundle';

describe('the prebuilt workflow bundle is used only with the compiled tree it was made from', () => {
  let dist: string;
  const put = (path: string, text: string) => {
    mkdirSync(join(dist, path, '..'), { recursive: true });
    writeFileSync(join(dist, path), text);
  };
  const bundle = () => {
    put(WORKFLOW_BUNDLE, '/* bundle */');
    put(WORKFLOW_BUNDLE_MANIFEST, JSON.stringify({ digest: compiledWorkflowSourcesDigest(dist) }));
  };

  beforeEach(() => {
    dist = mkdtempSync(join(tmpdir(), 'tf-dist-'));
    put('workflows/index.js', 'exports.tenderWorkflow = 1;');
    put('workflows/tender/tender.run.js', 'exports.run = 1;');
    put('libs/domain/src/dates.js', 'exports.d = 1;');
    put('apps/worker/src/main.js', 'main();');
  });
  afterEach(() => rmSync(dist, { recursive: true, force: true }));

  it('a bundle made from this tree is taken', () => {
    bundle();
    expect(prebuiltWorkflowBundle(dist)).toEqual({ codePath: join(dist, WORKFLOW_BUNDLE) });
  });

  it('no bundle, or no manifest: bundled at start, saying why', () => {
    expect(prebuiltWorkflowBundle(dist)).toEqual({ reason: expect.stringContaining('npm run build makes it') });
    put(WORKFLOW_BUNDLE, '/* bundle */');
    expect(prebuiltWorkflowBundle(dist)).toEqual({ reason: expect.stringContaining('npm run build makes it') });
  });

  it('a workflow or library file compiled again since (nest build alone): the stale bundle is not run', () => {
    bundle();
    put('workflows/tender/tender.run.js', 'exports.run = 2;');
    expect(prebuiltWorkflowBundle(dist)).toEqual({ reason: expect.stringContaining('another build') });
    bundle();
    put('libs/domain/src/holidays.js', 'exports.h = 1;');
    expect(prebuiltWorkflowBundle(dist)).toEqual({ reason: expect.stringContaining('another build') });
  });

  it("the apps' own files are not part of it; a broken manifest is a reason, not a crash", () => {
    bundle();
    put('apps/worker/src/main.js', 'main(2);');
    expect(prebuiltWorkflowBundle(dist)).toEqual({ codePath: join(dist, WORKFLOW_BUNDLE) });
    put(WORKFLOW_BUNDLE_MANIFEST, '{ not json');
    expect(prebuiltWorkflowBundle(dist)).toEqual({ reason: expect.stringContaining('unreadable') });
  });
});
