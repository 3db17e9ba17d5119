// cassandra-driver 4.10 reconnects its control connection from timers and event handlers without
// awaiting the promise. Two reconnections can overlap: one clears `host` while the other is about
// to use it, and the TypeError ("reading 'once'") becomes an unhandled rejection, which ends a
// Node process. Seen once in a 5-minute lwt run under connection resets (at 254 s). The client's
// own requests still report their outcomes through the pool, so such an error must not end the
// run; any other unhandled rejection still does.

const DRIVER_BACKGROUND = /cassandra-driver[\\/]lib[\\/]control-connection\.js/;

/** An error thrown from the driver's control connection in a promise nobody awaits. */
export function isDriverBackgroundError(reason: unknown): boolean {
  // Also a serialized error (vitest passes its own copies, plain objects with a stack).
  const stack = typeof reason === 'object' && reason !== null ? (reason as { stack?: unknown }).stack : undefined;
  return typeof stack === 'string' && DRIVER_BACKGROUND.test(stack);
}

let installed = false;
let reported = 0;

/** Keeps the process alive through the driver's background errors, reporting the first few. */
export function tolerateDriverBackgroundErrors(): void {
  if (installed) return;
  installed = true;
  process.on('unhandledRejection', (reason) => {
    if (!isDriverBackgroundError(reason)) throw reason;
    if (reported++ < 3) {
      const message = reason instanceof Error ? reason.message : String(reason);
      console.error(`lockstorm: warning: ignored a cassandra-driver control-connection error (a driver race under connection faults): ${message}`);
    }
  });
}
