// Worker entry: register the TypeScript loader (workers do not inherit it), then run the loop.
import { register } from 'tsx/esm/api';

register();
await import('./search-worker-loop.ts');
