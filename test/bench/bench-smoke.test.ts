/**
 * The bench's scripts must not rot: run every scenario at a toy size
 * (`node bench/run.js --tiny`) and check that it produces a well-formed
 * table and results file. No timing is asserted here, ever: `npm run bench`
 * is where figures are read.
 */
import { describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const SCENARIOS = ['sweep', 'sign', 'startup', 'chain', 'memory', 'stream'];

function runBench(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [join(ROOT, 'bench', 'run.js'), ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), 170_000);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

interface Row {
  scenario: string;
  metric: string;
  ours: string;
  baseline: string;
  ratio: number | null;
  target: string;
  met: boolean | null;
}

describe('bench (tiny run, no timing assertions)', () => {
  it('runs every scenario and writes well-formed results', { timeout: 180_000 }, async () => {
    const dir = await mkdtemp(join(tmpdir(), 'dendrite-bench-'));
    const out = join(dir, 'tiny.json');
    try {
      const r = await runBench(['--tiny', '--out', out]);
      expect(r.stderr, r.stderr).not.toMatch(/scenario \w+ failed/);
      expect(r.code, r.stderr).toBe(0);
      // The table: header, rule, one line per row.
      expect(r.stdout).toMatch(/Scenario\s+Metric\s+Ours \(median\)\s+Baseline \(median\)\s+Ratio\s+Spread\s+Target\s+Met/);
      const res = JSON.parse(await readFile(out, 'utf8')) as { tiny: boolean; scenarios: string[]; rows: Row[]; raw: Record<string, unknown>; errors: object; machine: { cores: number } };
      expect(res.tiny).toBe(true);
      expect(res.scenarios).toEqual(SCENARIOS);
      expect(res.errors).toEqual({});
      expect(res.machine.cores).toBeGreaterThan(0);
      for (const s of SCENARIOS) expect(res.raw[s], s).toBeDefined();
      const prefixes = ['1. sweep', '2. spread', '2. queueing', '3. signing', '4. start-up', '5. chain', '6. memory', '7. streaming'];
      for (const p of prefixes) expect(res.rows.some((row) => row.scenario.startsWith(p)), p).toBe(true);
      for (const row of res.rows) {
        expect(typeof row.metric).toBe('string');
        expect(typeof row.ours).toBe('string');
        expect(row.ratio === null || Number.isFinite(row.ratio), `${row.scenario} ${row.metric}: ratio ${row.ratio}`).toBe(true);
        expect([true, false, null]).toContain(row.met);
        expect(r.stdout).toContain(row.metric);
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
