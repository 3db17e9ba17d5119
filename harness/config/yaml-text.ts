// YAML text → plain data, bounded: size, nesting depth and alias expansion are limited before or
// while parsing, and every failure of the `yaml` package becomes one line naming the file.
import { parseDocument, YAMLError } from 'yaml';
import { configError } from './issues.ts';
import { MAX_CONFIG_BYTES, MAX_YAML_ALIASES, MAX_YAML_DEPTH } from './limits.ts';
import { tooBig } from './read.ts';
import { firstTooDeep } from './yaml-depth.ts';

function firstLine(message: string): string {
  return (message.split('\n')[0] ?? message).replace(/ at line \d+, column \d+:?$/, '');
}

function tooDeep(source: string, line?: number): Error {
  return configError(source, `${line ? `line ${line}: ` : ''}nested more than ${MAX_YAML_DEPTH} levels deep; a config is at most a few levels deep`);
}

export function parseYamlText(text: string, source: string): unknown {
  const bytes = Buffer.byteLength(text, 'utf8');
  if (bytes > MAX_CONFIG_BYTES) throw tooBig(source, bytes);
  const deep = firstTooDeep(text, MAX_YAML_DEPTH);
  if (deep) throw tooDeep(source, deep.line);
  // logLevel 'silent': the package would otherwise print its warnings to stderr itself.
  const doc = parseDocument(text, { logLevel: 'silent', prettyErrors: true, uniqueKeys: true });
  // A warning (an unknown tag, say) would silently change what a value means: refuse it as well.
  const problem = doc.errors[0] ?? doc.warnings[0];
  if (problem) {
    const at = problem.linePos?.[0];
    const what = doc.errors.length > 0 ? 'not valid YAML' : 'unsupported YAML';
    throw configError(`${source}${at ? `:${at.line}:${at.col}` : ''}`, `${what}: ${firstLine(problem.message)}`);
  }
  let raw: unknown;
  try {
    raw = doc.toJS({ maxAliasCount: MAX_YAML_ALIASES });
  } catch (err) {
    if (err instanceof RangeError) throw tooDeep(source);
    if (err instanceof ReferenceError && /alias count/i.test(err.message)) {
      throw configError(source, `expands YAML aliases more than ${MAX_YAML_ALIASES} times; write the values out`);
    }
    if (err instanceof ReferenceError || err instanceof YAMLError) throw configError(source, `not valid YAML: ${firstLine(err.message)}`);
    throw err;
  }
  if (depthOf(raw) > MAX_YAML_DEPTH) throw tooDeep(source);
  return raw;
}

/**
 * Nesting of the parsed value, iteratively: an alias puts an anchored tree inside another, so the
 * text's depth is not the value's. Aliased trees are shared objects, each walked once per depth.
 */
function depthOf(root: unknown): number {
  let max = 0;
  const seenAt = new Map<object, number>();
  const stack: [unknown, number][] = [[root, 0]];
  while (stack.length > 0) {
    const [value, depth] = stack.pop()!;
    if (value === null || typeof value !== 'object') continue;
    if ((seenAt.get(value) ?? -1) >= depth) continue;
    seenAt.set(value, depth);
    max = Math.max(max, depth + 1);
    if (max > MAX_YAML_DEPTH) return max;
    for (const child of Object.values(value)) stack.push([child, depth + 1]);
  }
  return max;
}
