import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { temporal } from '@temporalio/proto';
import { Worker } from '@temporalio/worker';
import { workflowCodeForTests } from '../test/support/shared-workflow-bundle';

/**
 * Recorded histories of every workflow type (test/replay/histories, made by
 * `npm run replay:record`) replayed against the current workflow code. A change that would break a
 * running tender, coordination or contract fails here: it needs `patched()` (README, Development).
 */
const DIR = join(__dirname, '..', 'test', 'replay', 'histories');
const files = readdirSync(DIR)
  .filter((f) => f.endsWith('.json'))
  .sort();

describe('replay of recorded histories', () => {
  it('has recorded histories of every workflow type', () => {
    const types = new Set(
      files.map((f) => (JSON.parse(readFileSync(join(DIR, f), 'utf8')) as { workflowType: string }).workflowType),
    );
    expect([...types].sort()).toEqual(['contractWorkflow', 'coordinationWorkflow', 'tenderWorkflow']);
  });

  it.each(files)('%s replays without nondeterminism', async (file) => {
    const recorded = JSON.parse(readFileSync(join(DIR, file), 'utf8')) as { workflowId: string; historyBase64: string };
    const history = temporal.api.history.v1.History.decode(Buffer.from(recorded.historyBase64, 'base64'));
    await Worker.runReplayHistory({ ...workflowCodeForTests(), replayName: file }, history, recorded.workflowId);
  });
});
