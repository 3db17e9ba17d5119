// A user's own TypeScript module (a recipe) must load whether lockstorm itself runs from its
// TypeScript sources (through tsx, already registered) or from the compiled JavaScript in dist/
// (bin/lockstorm.mjs), where nothing reads TypeScript until this registers tsx, once.
let registered = import.meta.url.endsWith('.ts');

export async function ensureTypeScriptLoader(): Promise<void> {
  if (registered) return;
  const { register } = await import('tsx/esm/api');
  register();
  registered = true;
}
