// The headless browser the report test drives: Debian's `chromium`, installed with apt when
// absent (this project never downloads a browser build of its own).
import { ensureDebianProgram } from './debian-program.ts';

export const CHROMIUM = '/usr/bin/chromium';

/** Flags that keep a headless run offline, quiet and container-friendly. */
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export function ensureChromium(log: (line: string) => void = () => undefined): Promise<string> {
  return ensureDebianProgram(CHROMIUM, 'chromium', log);
}
