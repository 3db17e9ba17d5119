// Imported before testcontainers anywhere in lockstorm.
//
// Ryuk (testcontainers' reaper) would need an image pull, which this machine cannot do; lockstorm
// removes what it starts itself (cleanup.ts).
process.env.TESTCONTAINERS_RYUK_DISABLED = 'true';

// On a local engine lockstorm publishes ports on 127.0.0.1 only. testcontainers guesses the host
// from /.dockerenv: where that file exists (as on sandboxed CI machines) it picks the bridge
// gateway, which those loopback-only ports do not answer on, and every start times out.
const host = process.env.DOCKER_HOST;
if (process.env.TESTCONTAINERS_HOST_OVERRIDE === undefined && (!host || host.startsWith('unix://'))) {
  process.env.TESTCONTAINERS_HOST_OVERRIDE = '127.0.0.1';
}
