// `lockstorm nemesis plan`: print the fault windows a seed produces, without a cluster, so a
// recorded run's schedule can be read (or replayed) ahead of time.
import type { Command } from 'commander';
import { UserError } from '../core/errors.ts';
import type { NemesisIssue } from '../nemesis/index.ts';
import type { NemesisSpec } from '../core/cell.ts';

interface PlanOptions {
  faults: string;
  seed: string;
  count: string;
  onS: string;
  offS: string;
  params?: string;
  nodes: string;
  json?: boolean;
}

export function registerNemesis(program: Command): void {
  const nemesis = program.command('nemesis').description('inspect the fault schedule');
  const plan = nemesis
    .command('plan')
    .description('print the first fault windows of a seeded schedule (nominal times; node faults take longer)')
    .requiredOption('--seed <n>', 'the run\'s seed')
    .option('--faults <list>', 'comma-separated faults or families', 'all');
  // The fault catalog loads only when a `nemesis` subcommand runs (or shows its help), not for
  // every command: it names the families in --faults' description just before it is needed.
  nemesis.hook('preSubcommand', async () => {
    const { familyNames } = await import('../nemesis/index.ts');
    const faults = plan.options.find((o) => o.long === '--faults');
    if (faults) faults.description = `comma-separated faults or families (${[...familyNames(), 'all'].join(', ')})`;
  });
  plan
    .option('--count <n>', 'how many windows', '10')
    .option('--on-s <s>', 'seconds each fault is held', '10')
    .option('--off-s <s>', 'seconds between faults', '10')
    .option('--params <json>', 'nemesis params as JSON, e.g. \'{"maxSkewMs":3000}\'')
    .option('--nodes <list>', 'node names', 'n1,n2,n3')
    .option('--json', 'one JSON object per window')
    .action(async (opts: PlanOptions) => {
      const { describeFault, parseNemesisSpec, planPrefix, validateNemesisMix } = await import('../nemesis/index.ts');
      const seed = wholeNumber(opts.seed, '--seed');
      const count = wholeNumber(opts.count, '--count');
      const onMs = seconds(opts.onS, '--on-s', { aboveZero: true }) * 1000;
      const offMs = seconds(opts.offS, '--off-s') * 1000;
      let params: Record<string, unknown> | undefined;
      if (opts.params !== undefined) {
        try {
          params = JSON.parse(opts.params) as Record<string, unknown>;
        } catch {
          throw new UserError(`--params: not valid JSON: ${opts.params}`);
        }
      }
      const faults = opts.faults.split(',').map((f) => f.trim()).filter(Boolean);
      const spec: NemesisSpec = { faults, onMs, offMs, ...(params ? { params } : {}) };
      const [issue] = validateNemesisMix(spec);
      if (issue) throw new UserError(`${flagOf(issue)}: ${issue.message}`);
      const settings = parseNemesisSpec(spec);
      const nodes = opts.nodes.split(',').map((n) => n.trim()).filter(Boolean);
      planPrefix(settings, seed, nodes, count).forEach((fault, i) => {
        const startS = (offMs + i * (onMs + offMs)) / 1000;
        const d = describeFault(fault);
        const line = opts.json
          ? JSON.stringify({ window: i + 1, startS, ...d })
          : `${String(i + 1).padStart(3)}  ${`${startS}s`.padStart(7)}  ${d.fault.padEnd(18)} ${d.targets.join(',').padEnd(9)} ${JSON.stringify(d.detail)}`;
        process.stdout.write(`${line}\n`);
      });
    });
}

/** The flag an issue's path points into: `--faults`, `--params maxSkewMs`, `--on-s`. */
export function flagOf(issue: NemesisIssue): string {
  const [head, ...rest] = issue.path;
  if (head === 'faults') return '--faults';
  if (head === 'onMs') return '--on-s';
  if (head === 'offMs') return '--off-s';
  if (head === 'params') return rest.length ? `--params ${rest.join('.')}` : '--params';
  return issue.path.join('.');
}

function wholeNumber(text: string, flag: string): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 0) throw new UserError(`${flag}: expected a whole number, got "${text}"`);
  return n;
}

function seconds(text: string, flag: string, { aboveZero = false } = {}): number {
  const n = Number(text);
  if (!Number.isFinite(n) || n < 0 || (aboveZero && n === 0)) {
    throw new UserError(`${flag}: expected a number of seconds${aboveZero ? ' above 0' : ''}, got "${text}"`);
  }
  return n;
}
