// `npm run bench`: pinflow's figures against their references, in one run on this machine. Prints a report
// and writes it to docs/benchmarks.md (replacing the previous run). Benchmarks, not tests: nothing fails
// on a slow machine; a missed goal is reported as such.
//   npm run bench                       every benchmark at the issue's sizes (about an hour on 2 cores)
//   npm run bench -- --quick            small sizes, to check the benchmarks themselves run
//   npm run bench -- --only=lateness,intake
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { runIntake, type IntakeRow, type Run } from './intake';
import type { CpuUse } from './support/cpu';
import { loadConfig } from '../src/config';
import { runLateness, type LatenessResult } from './lateness';
import { runSleeping } from './sleeping';
import { machine, startStack } from './support/stack';

const root = path.resolve(__dirname, '..');
const { values } = parseArgs({
  options: {
    only: { type: 'string' },
    quick: { type: 'boolean', default: false },
    // Override one size (e.g. a shorter run on a busy machine); the report states the sizes used.
    burst: { type: 'string' },
    spread: { type: 'string' },
    'spread-minutes': { type: 'string' },
    sleeping: { type: 'string' },
  },
});
const all = ['lateness', 'lateness-spread', 'intake', 'sleeping', 'media', 'analytics'];
const selected = values.only ? values.only.split(',') : all;
const quick = values.quick ?? false;
const sizes = quick
  ? { burst: 100, accounts: 10, spread: 500, spreadMs: 60_000, intake: 100, sleeping: 2000, idleMs: 10_000 }
  : { burst: 1000, accounts: 50, spread: 10_000, spreadMs: 600_000, intake: 1000, sleeping: 100_000, idleMs: 60_000 };
if (values.burst) sizes.burst = Number(values.burst);
if (values.spread) sizes.spread = Number(values.spread);
if (values['spread-minutes']) sizes.spreadMs = Number(values['spread-minutes']) * 60_000;
if (values.sleeping) sizes.sleeping = Number(values.sleeping);

const report: string[] = [];
const out = (line = ''): void => {
  console.log(line);
  report.push(line);
};
const ms = (v: number): string => (Number.isFinite(v) ? `${Math.round(v)} ms` : '–');
const verdict = (ok: boolean): string => (ok ? 'met' : '**missed**');

function latenessSection(title: string, r: LatenessResult, goals: boolean): void {
  out(`### ${title}`);
  out();
  out(
    `${r.posts} posts over ${r.accounts} accounts${r.spreadMs ? `, due over ${r.spreadMs / 60_000} min` : ', all due in the same second'}; ${r.published} pins created; intake ${r.intakePerSecond.toFixed(0)} posts/s.`,
  );
  out();
  out('| figure | value | goal |');
  out('|---|---|---|');
  out(`| early (pin before scheduledAt) | ${r.early} | 0: ${verdict(r.early === 0)} |`);
  out(`| p50 lateness | ${ms(r.p50)} | ${goals ? `< 250 ms: ${verdict(r.p50 < 250)}` : ''} |`);
  out(`| p90 lateness | ${ms(r.p90)} | |`);
  out(`| p99 lateness | ${ms(r.p99)} | ${goals ? `< 1 s: ${verdict(r.p99 < 1000)}` : ''} |`);
  out(`| min / max | ${ms(r.min)} / ${ms(r.max)} | |`);
  out();
  out('| lateness | pins |');
  out('|---|---|');
  for (const [label, count] of r.histogram) out(`| ${label} | ${count} |`);
  out();
  if (r.dueCpu) {
    const parts = r.dueCpu.byPart.map(([part, seconds]) => `${part} ${seconds.toFixed(2)} s`).join(', ');
    out(
      `CPU from the due instant until the last pin was seen (${r.dueCpu.wallSeconds.toFixed(1)} s of wall time): ${parts}; ${r.dueCpu.total.toFixed(2)} s in all, cores busy ${(r.dueCpu.utilisation * 100).toFixed(0)} %.`,
    );
    out();
  }
}

function runScript(file: string, args: string[]): string {
  const result = spawnSync(process.execPath, ['--import', 'tsx', file, ...args], { cwd: root, encoding: 'utf8', timeout: 30 * 60_000 });
  return `${result.stdout}${result.status === 0 ? '' : `\n(exit ${result.status}) ${result.stderr}`}`.trim();
}

async function main(): Promise<void> {
  const commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: root, encoding: 'utf8' }).trim();
  out('# Benchmarks');
  out();
  out(
    `Run ${new Date().toISOString()} at commit \`${commit}\` with \`npm run bench${process.argv.slice(2).length ? ` -- ${process.argv.slice(2).join(' ')}` : ''}\`.`,
  );
  out(`Sizes: ${JSON.stringify(sizes)}.`);
  out(
    `Load average when it started: ${os
      .loadavg()
      .map((l) => l.toFixed(2))
      .join(', ')} (other work on the machine skews every figure).`,
  );
  out(
    `Machine: ${machine()}. Temporal dev server (CLI 1.5.1, SQLite in memory unless said), embedded PostgreSQL 18, the Pinterest emulator in the benchmark's process (Pinterest's Standard limits: 1,000 reads and 100 writes per user per minute); api and worker each a separate Node process.`,
  );
  out();

  const needsStack = selected.some((s) => ['lateness', 'lateness-spread', 'intake', 'sleeping'].includes(s));
  if (needsStack) {
    if (selected.includes('lateness') || selected.includes('lateness-spread')) {
      out('## 1. Publish lateness');
      out();
      out("Lateness = the pin's creation time at the emulator − the post's scheduledAt.");
      out();
      // The dev server keeps its state in memory or, as `npm start` runs it, in a SQLite file: every workflow
      // task is a write there, and that store bounds how fast a burst of due posts can be dispatched.
      for (const inMemory of [true, false]) {
        const where = inMemory ? 'dev server in memory' : 'dev server on its SQLite file, as `npm start` runs it';
        if (!inMemory && !selected.includes('lateness')) continue;
        const stack = await startStack({ accounts: sizes.accounts, temporalInMemory: inMemory });
        try {
          if (selected.includes('lateness'))
            latenessSection(`Burst (${where})`, await runLateness(stack, { posts: sizes.burst, spreadMs: 0, label: 'Burst' }), true);
          if (inMemory && selected.includes('lateness-spread'))
            latenessSection(
              `Spread (${where})`,
              await runLateness(stack, { posts: sizes.spread, spreadMs: sizes.spreadMs, label: 'Spread' }),
              true,
            );
        } finally {
          await stack.stop();
        }
      }
    }
    if (selected.includes('intake')) {
      out('## 2. Intake');
      out();
      out(
        `${sizes.intake} requests per concurrency level, three runs each: \`POST /v1/posts\` (media already uploaded, every check of the API, link-free, no webhook); raw \`client.workflow.start\` of \`publishPost\` with the same input and search attributes on the worker's queue (the same workflow, run by the worker: the engine's limit for this workflow); and the same start on a queue no worker polls (the start alone: the engine's ceiling, which no workflow that runs can reach).`,
      );
      out();
      const stack = await startStack({ accounts: 10, temporalInMemory: true });
      try {
        const rows = await runIntake(stack, {
          requests: sizes.intake,
          concurrencies: [1, 8, 32],
          taskQueue: loadConfig().TEMPORAL_TASK_QUEUE,
        });
        out(
          '| concurrency | API posts/s | API p50 | API p99 | raw, run: starts/s | p99 | API / raw run | goal ≥ 0.8 | raw, start only: starts/s | p99 | API / start only |',
        );
        out('|---|---|---|---|---|---|---|---|---|---|---|');
        for (const r of rows) {
          const ratio = r.api.perSecond / r.rawRun.perSecond;
          out(
            `| ${r.concurrency} | ${r.api.perSecond.toFixed(0)} | ${ms(r.api.p50)} | ${ms(r.api.p99)} | ${r.rawRun.perSecond.toFixed(0)} | ${ms(r.rawRun.p99)} | ${ratio.toFixed(2)} | ${verdict(ratio >= 0.8)} | ${r.rawStart.perSecond.toFixed(0)} | ${ms(r.rawStart.p99)} | ${(r.api.perSecond / r.rawStart.perSecond).toFixed(2)} |`,
          );
        }
        out();
        // Where the CPU went, per post or start, counted until the worker was idle again (its first workflow tasks).
        const runs = (r: IntakeRow): Array<[string, Run]> => [
          ['API', r.api],
          ['raw, run', r.rawRun],
          ['raw, start only', r.rawStart],
        ];
        const parts = [...new Set(rows.flatMap((r) => runs(r).flatMap(([, run]) => run.cpu.byPart.map(([p]) => p))))];
        const perItem = (use: CpuUse, part: string): string =>
          (((use.byPart.find(([p]) => p === part)?.[1] ?? 0) * 1000) / sizes.intake).toFixed(2);
        out(
          'CPU milliseconds per post or start, from /proc (utime + stime; PostgreSQL = all its processes), counted until the worker was idle again:',
        );
        out();
        out(`| concurrency | run | ${parts.join(' | ')} | total | cores busy |`);
        out(`|---|---|${parts.map(() => '---|').join('')}---|---|`);
        for (const r of rows) {
          for (const [label, run] of runs(r)) {
            out(
              `| ${r.concurrency} | ${label} | ${parts.map((p) => perItem(run.cpu, p)).join(' | ')} | ${((run.cpu.total * 1000) / sizes.intake).toFixed(2)} | ${(run.cpu.utilisation * 100).toFixed(0)} % |`,
            );
          }
        }
        out();
      } finally {
        await stack.stop();
      }
    }
    if (selected.includes('sleeping')) {
      out('## 3. Many sleeping posts');
      out();
      const stack = await startStack({ accounts: 50, temporalInMemory: true });
      try {
        const r = await runSleeping(stack, { posts: sizes.sleeping, idleMs: sizes.idleMs });
        out(
          `${r.posts} posts scheduled 3 days ahead, accepted at ${r.intakePerSecond.toFixed(0)} posts/s, then ${sizes.idleMs / 1000} s idle.`,
        );
        out();
        out('| figure | value | goal |');
        out('|---|---|---|');
        out(`| worker RSS, max | ${r.rssMax} MB | < 300 MB: ${verdict(r.rssMax < 300)} |`);
        out(`| worker RSS, end | ${r.rssEnd} MB | flat |`);
        out(
          `| \`GET /v1/posts?status=scheduled&limit=20\` p50 / p99 | ${ms(r.listP50)} / ${ms(r.listP99)} | p99 < 50 ms: ${verdict(r.listP99 < 50)} |`,
        );
        out(`| same, from the middle of the table, p99 | ${ms(r.deepListP99)} | |`);
        out();
        out(
          `Worker memory over time (s → RSS / main-thread heap used / external, MB): ${r.rssSamples.map(([s, mb, heap, ext]) => `${s}→${mb}/${heap}/${ext}`).join(', ')}`,
        );
        out();
      } finally {
        await stack.stop();
      }
    }
  }
  if (selected.includes('media')) {
    out('## 4. Media');
    out();
    out('```');
    out(runScript('bench/media-inspect.ts', [quick ? '3' : '9']));
    out('```');
    out();
  }
  if (selected.includes('analytics')) {
    out('## 5. Analytics');
    out();
    out('```');
    out(runScript('bench/analytics.ts', quick ? ['4', '20'] : []));
    out('```');
    out();
  }
  // The hand-written reading of the figures, if the document has one, is kept after the new figures.
  const doc = path.join(root, 'docs', 'benchmarks.md');
  const previous = fs.existsSync(doc) ? fs.readFileSync(doc, 'utf8') : '';
  const reading = previous.indexOf('\n## Reading the figures');
  fs.writeFileSync(doc, `${report.join('\n')}\n${reading >= 0 ? previous.slice(reading) : ''}`);
  console.log('\nwritten to docs/benchmarks.md');
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
