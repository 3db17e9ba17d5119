// The bounds a run config is held to, each with the reason for its value. Schema, reader and
// cross-checks all take them from here, so the error a user reads and the check agree.

/**
 * Longest span any time field may ask for: a cell, a fault window, a timeout. Beyond a day a
 * setting is a typo, not a test; and a day in ms (86_400_000) stays well inside Node's timer
 * range (2^31 − 1 ms, about 24.8 days), past which a timer fires after 1 ms instead.
 */
export const MAX_SECONDS = 86_400;
export const MAX_MS = MAX_SECONDS * 1000;
/** Shortest span in seconds: 1 ms, the smallest that survives rounding to whole milliseconds. */
export const MIN_SECONDS = 0.001;
/** Node clamps a timer beyond this to 1 ms; MAX_MS must stay below it. */
export const NODE_TIMER_MAX_MS = 2 ** 31 - 1;

/** Each client is its own driver session pinned to a proxy; beyond this the machine, not Cassandra, is measured. */
export const MAX_CLIENTS = 200;
/** Lock keys; more than this and clients almost never contend, so the run tests little. */
export const MAX_KEYS = 10_000;
/** The fault schedule and operation mix draw from a 32-bit random state; larger seeds would alias smaller ones. */
export const MAX_SEED = 2 ** 32 - 1;
/**
 * Lock TTL in seconds (0 = no TTL). A week is longer than any cell may run, so "a TTL that never
 * expires during the run" can still be written, and far below Cassandra's own cap (20 years).
 */
export const MAX_TTL_S = 7 * 86_400;
/** The evidence floor: fewest completed operations a cell needs before `safe`. More than a day's run could reach is a typo. */
export const MAX_MIN_OPS = 1_000_000;
/** Cells one config may expand to: the nightly comparison is 48; a thousand is half a day of cells. */
export const MAX_CELLS = 1000;
/** The results folder is named `<timestamp>-<name>`, and cell folders carry nemesis names: keep both short. */
export const MAX_NAME_LENGTH = 100;
export const MAX_NEMESIS_NAME_LENGTH = 64;

/**
 * Largest config file read, in bytes. The shipped configs are under 1.5 KB, and a 1000-cell
 * matrix with an `expect.cells` entry for every cell is about 60 KB; 128 KiB holds that twice.
 * The YAML parser's time grows with the text (about 10 s for 230 KB of keys was measured on a
 * loaded 2-core machine), so the bound also caps how long a bad config takes to be refused.
 */
export const MAX_CONFIG_BYTES = 128 * 1024;
/** Deepest YAML nesting: the schema itself is 4 levels deep; past this it is not a config. */
export const MAX_YAML_DEPTH = 32;
/** Alias expansions the YAML parser may perform (its guard against "billion laughs"). */
export const MAX_YAML_ALIASES = 100;
