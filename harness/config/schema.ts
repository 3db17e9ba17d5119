// The run config's shape. Field names are snake_case because users write them in YAML; the
// expansion (expand.ts) turns a validated config into CellParams, the runner's camelCase world.
import { z } from 'zod';
import { DEFAULT_TIMEOUTS_MS } from '../cluster/settings.ts';
import { DEFAULT_VERSION, VERSION_FORMS, versionProblem } from '../cluster/versions.ts';
import { providerFieldProblems, providerFields } from '../cluster/provider-config.ts';
import {
  MAX_CLIENTS,
  MAX_KEYS,
  MAX_MIN_OPS,
  MAX_MS,
  MAX_NAME_LENGTH,
  MAX_NEMESIS_NAME_LENGTH,
  MAX_SECONDS,
  MAX_SEED,
  MAX_TTL_S,
  MIN_SECONDS,
} from './limits.ts';
import { recipeEntry } from './recipes.ts';

export const WRITE_CLS = ['ANY', 'ONE', 'TWO', 'THREE', 'QUORUM', 'ALL', 'LOCAL_QUORUM', 'EACH_QUORUM', 'LOCAL_ONE'] as const;
export const READ_CLS = ['ONE', 'TWO', 'THREE', 'QUORUM', 'ALL', 'LOCAL_QUORUM', 'EACH_QUORUM', 'LOCAL_ONE', 'SERIAL', 'LOCAL_SERIAL'] as const;
export const SERIAL_CLS = ['SERIAL', 'LOCAL_SERIAL'] as const;
export const PAXOS_VARIANTS = ['v1', 'v2'] as const;
export const EXPECTATIONS = ['safe', 'unsafe-allowed'] as const;
export type Expectation = (typeof EXPECTATIONS)[number];

/** How the timestamp mode is spelled in YAML; parsed by expand.ts into a TimestampMode. */
export const TIMESTAMP_PATTERN = /^(server|driver|tie|skewed:[+-]?\d+ms|quantized:[1-9]\d*ms)$/;
export const TIMESTAMP_FORMS = ['server', 'driver', 'tie', 'skewed:<±N>ms', 'quantized:<N>ms'];
/** The ms figure in `skewed:` / `quantized:`: an offset or unit past a day is a typo, and Number() of a long digit run is not exact. */
function timestampMsInRange(v: string): boolean {
  const ms = /(\d+)ms$/.exec(v);
  return !ms || Number(ms[1]) <= MAX_MS;
}
const timestampMode = z
  .string()
  .refine((v) => TIMESTAMP_PATTERN.test(v), { message: `is not one of ${TIMESTAMP_FORMS.join(', ')}`, abort: true })
  .refine(timestampMsInRange, { message: `has more than ${MAX_MS} ms (24 h) in it` });

/** A whole number in [min, max]; the message says the range and why, in the user's units. */
function wholeIn(min: number, max: number, unit = '') {
  return z
    .number()
    .int()
    .refine((v) => v >= min && v <= max, { message: `must be from ${min} to ${max}${unit}` });
}
/** A span in seconds: at least 1 ms once converted, at most a day (see limits.ts for why). */
const seconds = z
  .number()
  .refine((v) => v >= MIN_SECONDS && v <= MAX_SECONDS, { message: `must be from ${MIN_SECONDS} to ${MAX_SECONDS} (seconds: 1 ms to 24 h)` });
/** A span in whole milliseconds, at most a day. */
const millis = wholeIn(1, MAX_MS, ' (milliseconds: up to 24 h)');
const ttlSeconds = wholeIn(0, MAX_TTL_S, ' (seconds; 0 = never expires; at most 7 days)');

/** An on/off setting. YAML 1.2 reads on and off as strings. */
export const SWITCH = ['off', 'on'] as const;

/** A nemesis is referred to by name from the `nemesis` field and the matrix; `none` means no faults. */
export const NO_NEMESIS = 'none';
const nemesisName = z
  .string()
  .refine((v) => /^[a-z0-9][a-z0-9-]*$/.test(v), { message: 'is not a name (lower-case letters, digits, dashes)', abort: true })
  .refine((v) => v.length <= MAX_NEMESIS_NAME_LENGTH, { message: `is longer than ${MAX_NEMESIS_NAME_LENGTH} characters (it names cell folders)` });

const nemesisDef = z.strictObject({
  faults: z.array(z.string().min(1)).min(1),
  on_s: seconds.default(10),
  off_s: seconds.default(10),
  params: z.record(z.string(), z.unknown()).optional(),
});

/**
 * A Cassandra version: a line ("4.1", its newest patch) or an exact release ("4.1.3"). YAML reads
 * an unquoted 4.0 as the number 4, so a number is refused with a hint rather than guessed at.
 */
const cassandraVersion = z
  .union([z.string(), z.number()])
  .refine((v) => typeof v === 'string', { message: `is a number to YAML; quote the version, e.g. "4.1" (one of ${VERSION_FORMS.join(', ')})`, abort: true })
  .superRefine((v, ctx) => {
    const problem = versionProblem(String(v));
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  })
  .transform((v) => String(v));

/** A cassandra.yaml override: a scalar, as production's cassandra.yaml would write it. */
const yamlScalar = z.union([z.string(), z.number(), z.boolean()]);

const cluster = z.strictObject({
  cassandra_version: cassandraVersion.default(DEFAULT_VERSION),
  /** Left out: v2 where the version has it (4.1 on), else v1. */
  paxos_variant: z.enum(PAXOS_VARIANTS).optional(),
  timeouts: z
    .strictObject({
      write_ms: millis.default(DEFAULT_TIMEOUTS_MS.write),
      read_ms: millis.default(DEFAULT_TIMEOUTS_MS.read),
      cas_contention_ms: millis.default(DEFAULT_TIMEOUTS_MS.casContention),
    })
    .prefault({}),
  /** cassandra.yaml overrides by the version's own setting names (checked in load.ts). */
  settings: z.record(z.string(), yamlScalar).default({}),
  /** Where the cluster comes from, and the fields of the providers that do not start it themselves. */
  ...providerFields,
}).superRefine((c, ctx) => {
  for (const p of providerFieldProblems(c)) ctx.addIssue({ code: 'custom', path: p.path, message: p.message });
});

/** Axes a matrix may vary; each is also a top-level default. Order decides the report's grid. */
export const AXES = ['recipe', 'cassandra_version', 'write_cl', 'read_cl', 'serial_cl', 'paxos_variant', 'ttl_s', 'timestamps', 'nemesis', 'fencing'] as const;
export type Axis = (typeof AXES)[number];

const matrix = z.strictObject({
  recipe: z.array(z.string().min(1)).min(1).optional(),
  cassandra_version: z.array(cassandraVersion).min(1).optional(),
  write_cl: z.array(z.enum(WRITE_CLS)).min(1).optional(),
  read_cl: z.array(z.enum(READ_CLS)).min(1).optional(),
  serial_cl: z.array(z.enum(SERIAL_CLS)).min(1).optional(),
  paxos_variant: z.array(z.enum(PAXOS_VARIANTS)).min(1).optional(),
  ttl_s: z.array(ttlSeconds).min(1).optional(),
  timestamps: z.array(timestampMode).min(1).optional(),
  nemesis: z.array(nemesisName).min(1).optional(),
  fencing: z.array(z.enum(SWITCH)).min(1).optional(),
});

const expectationByValue = z.record(z.string(), z.enum(EXPECTATIONS));
const expect = z.strictObject({
  default: z.enum(EXPECTATIONS).default('safe'),
  recipe: expectationByValue.optional(),
  cassandra_version: expectationByValue.optional(),
  write_cl: expectationByValue.optional(),
  read_cl: expectationByValue.optional(),
  serial_cl: expectationByValue.optional(),
  paxos_variant: expectationByValue.optional(),
  ttl_s: expectationByValue.optional(),
  timestamps: expectationByValue.optional(),
  nemesis: expectationByValue.optional(),
  fencing: expectationByValue.optional(),
  /** By cell name: wins over everything else. */
  cells: expectationByValue.optional(),
});

export const configSchema = z.strictObject({
  name: z
    .string()
    .refine((v) => /^[a-z0-9][a-z0-9._-]*$/.test(v), {
      message: 'is not a name (lower-case letters, digits, dot, dash, underscore; it names the results folder)',
      abort: true,
    })
    .refine((v) => v.length <= MAX_NAME_LENGTH, { message: `is longer than ${MAX_NAME_LENGTH} characters (it names the results folder)` }),
  description: z.string().optional(),
  cluster: cluster.prefault({}),
  duration_s: seconds,
  clients: wholeIn(1, MAX_CLIENTS).default(10),
  keys: wholeIn(1, MAX_KEYS).default(5),
  seed: wholeIn(0, MAX_SEED, ' (the random state is 32 bits)').default(1),
  op_timeout_ms: millis.default(1000),
  /** Budget for the linearizability search of one cell; past it that cell's verdict is `unknown`. */
  check_timeout_s: seconds.default(60),
  /** Fewest completed client operations a cell needs before its verdict may be `safe`. */
  min_ops: wholeIn(1, MAX_MIN_OPS).default(100),
  recipe: z.string().min(1),
  /** User recipes by name (./recipes.ts); usable in `recipe` and `matrix.recipe` beside the built-ins. */
  recipes: z.record(z.string(), recipeEntry).default({}),
  write_cl: z.enum(WRITE_CLS).default('QUORUM'),
  read_cl: z.enum(READ_CLS).default('QUORUM'),
  serial_cl: z.enum(SERIAL_CLS).default('SERIAL'),
  ttl_s: ttlSeconds.default(60),
  timestamps: timestampMode.default('server'),
  nemesis: nemesisName.default(NO_NEMESIS),
  /** Each holder's read-modify-write of the record its lock guards (docs/workloads.md, "The guarded record"). */
  guarded: z.enum(SWITCH).default('off'),
  /** The guarded record accepts writes only under a fencing token (needs `guarded: on`, and a recipe with tokens). */
  fencing: z.enum(SWITCH).default('off'),
  nemeses: z.record(nemesisName, nemesisDef).default({}),
  matrix: matrix.default({}),
  expect: expect.prefault({}),
});

export type Config = z.output<typeof configSchema>;
export type NemesisDef = z.output<typeof nemesisDef>;
