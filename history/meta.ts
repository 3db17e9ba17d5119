// The meta line: first line of every history, saying what produced it (recipe and cell
// parameters) so that a history file can be checked on its own.

import type { HistoryEvent, JsonValue, MetaEvent } from './schema.ts';

/** The meta event as the writer appends it (the writer stamps `index` and `time`). */
export function metaLine(recipe: string, params: Record<string, JsonValue>): Omit<MetaEvent, 'index' | 'time'> {
  return { type: 'meta', recipe, params };
}

export function metaOf(events: readonly HistoryEvent[]): MetaEvent | undefined {
  const first = events[0];
  return first?.type === 'meta' ? first : events.find((e): e is MetaEvent => e.type === 'meta');
}

/** The lock TTL recorded in the meta event (params.ttlSeconds), if any. */
export function ttlSecondsOf(events: readonly HistoryEvent[]): number | undefined {
  const ttl = metaOf(events)?.params['ttlSeconds'];
  return typeof ttl === 'number' && ttl > 0 ? ttl : undefined;
}

/** The recipe named by the meta event, if any. */
export function recipeOf(events: readonly HistoryEvent[]): string | undefined {
  return metaOf(events)?.recipe;
}
