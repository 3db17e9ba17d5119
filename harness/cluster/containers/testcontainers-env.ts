// Imported before testcontainers anywhere in lockstorm.
//
// Ryuk (testcontainers' reaper) would need an image pull, which this machine cannot do; lockstorm
// removes what it starts itself (cleanup.ts).
process.env.TESTCONTAINERS_RYUK_DISABLED = 'true';

/** True when the engine is on this machine (no DOCKER_HOST, or a unix socket). */
export function localEngine(): boolean {
  const host = process.env.DOCKER_HOST;
  return !host || host.startsWith('unix://');
}

// On a local engine lockstorm publishes ports on 127.0.0.1 only. testcontainers guesses the host
// from /.dockerenv: where that file exists (as on sandboxed CI machines) it picks the bridge
// gateway, which those loopback-only ports do not answer on, and every start times out.
if (process.env.TESTCONTAINERS_HOST_OVERRIDE === undefined && localEngine()) {
  process.env.TESTCONTAINERS_HOST_OVERRIDE = '127.0.0.1';
}
