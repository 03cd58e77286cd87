import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { PHASE_MAP } from '@tenderflow/domain/phases';
import { PHASES, type Phase } from '../../libs/domain/src/types';

/**
 * The tender workflow keeps to the phase map (libs/domain/src/phases.ts): its one way to change
 * phase, TenderRun.enter, asks the map, and every phase a call site enters is one the map leads to.
 * (Which move from which phase each call makes is proved by the workflow tests and the replay test:
 * a move the map lacks fails the workflow task.)
 */
const ROOT = join(__dirname, '..', '..');
const TENDER = join(ROOT, 'workflows', 'tender');

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    if (statSync(p).isDirectory()) return sources(p);
    return p.endsWith('.ts') && !p.endsWith('.spec.ts') ? [p] : [];
  });
}

/** Each phase literal a tender source enters, directly (`enter('x'`) or by ending (`end('x'`), as `file: phase`. */
function entered(): { file: string; phase: string }[] {
  return sources(TENDER).flatMap((file) =>
    [...readFileSync(file, 'utf8').matchAll(/\b(?:enter|end)\(\s*'([a-z_]+)'/g)].map((m) => ({
      file: relative(ROOT, file),
      phase: m[1],
    })),
  );
}

describe('the tender workflow and the phase map', () => {
  it('changes phase only in TenderRun.enter, which asks the map before it changes anything', () => {
    const assignments = sources(TENDER).filter((f) => /\.phase = /.test(readFileSync(f, 'utf8')));
    expect(assignments.map((f) => relative(ROOT, f))).toEqual(['workflows/tender/tender.run.ts']);
    const run = readFileSync(join(TENDER, 'tender.run.ts'), 'utf8');
    const body = run.slice(run.indexOf('  enter(to: Phase'), run.indexOf('  /** Ends the tender cancelled'));
    expect(body.indexOf('assertMove(from, to)')).toBeGreaterThan(body.indexOf('if (from === to) return;'));
    expect(body.indexOf('assertMove(from, to)')).toBeLessThan(body.indexOf('this.state.phase = to'));
  });

  it('enters only phases the map leads to', () => {
    const sites = entered();
    expect(sites.length).toBeGreaterThanOrEqual(20);
    const targets = new Set(PHASE_MAP.map((m) => m.to));
    expect(sites.filter((s) => !targets.has(s.phase as Phase))).toEqual([]);
    expect(sites.filter((s) => !(PHASES as readonly string[]).includes(s.phase))).toEqual([]);
  });
});
