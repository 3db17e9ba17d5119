// Imported before testcontainers anywhere in lockstorm. Ryuk (testcontainers' reaper) would need
// an image pull, which this machine cannot do; lockstorm removes what it starts itself (cleanup.ts).
process.env.TESTCONTAINERS_RYUK_DISABLED = 'true';
