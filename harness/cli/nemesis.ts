// `lockstorm nemesis plan`: print the fault windows a seed produces, without a cluster, so a
// recorded run's schedule can be read (or replayed) ahead of time.
import type { Command } from 'commander';
import { UserError } from './errors.ts';
import { describeFault, parseNemesisSpec, planPrefix } from '../nemesis/index.ts';

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
  nemesis
    .command('plan')
    .description('print the first fault windows of a seeded schedule (nominal times; node faults take longer)')
    .requiredOption('--seed <n>', 'the run\'s seed')
    .option('--faults <list>', 'comma-separated faults or families (link, node, partition, clock, all)', 'all')
    .option('--count <n>', 'how many windows', '10')
    .option('--on-s <s>', 'seconds each fault is held', '10')
    .option('--off-s <s>', 'seconds between faults', '10')
    .option('--params <json>', 'nemesis params as JSON, e.g. \'{"maxSkewMs":3000}\'')
    .option('--nodes <list>', 'node names', 'n1,n2,n3')
    .option('--json', 'one JSON object per window')
    .action((opts: PlanOptions) => {
      const seed = wholeNumber(opts.seed, '--seed');
      const count = wholeNumber(opts.count, '--count');
      const onMs = seconds(opts.onS, '--on-s') * 1000;
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
      const settings = asFlags(() => parseNemesisSpec({ faults, onMs, offMs, ...(params ? { params } : {}) }));
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

/** Names the flag, not the config field, in a spec error. */
function asFlags<T>(parse: () => T): T {
  try {
    return parse();
  } catch (err) {
    if (!(err instanceof UserError)) throw err;
    throw new UserError(err.message.replace(/^nemesis\.faults(\[\d+\])?/, '--faults').replace(/^nemesis\.params\.?/, '--params '), err.exitCode);
  }
}

function wholeNumber(text: string, flag: string): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 0) throw new UserError(`${flag}: expected a whole number, got "${text}"`);
  return n;
}

function seconds(text: string, flag: string): number {
  const n = Number(text);
  if (!Number.isFinite(n) || n < 0) throw new UserError(`${flag}: expected a number of seconds, got "${text}"`);
  return n;
}
