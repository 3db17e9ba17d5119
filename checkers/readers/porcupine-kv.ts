// Porcupine's kv logs: one EDN map per line, `{:process P, :type :invoke|:ok, :f :get|:put|:append,
// :key "K", :value nil|"V"}`, without times: the line order is the real-time order.

import { readEdnEvents } from './jepsen-edn.ts';
import { pairEvents, type PairedOp } from './pairs.ts';

/** Throws HistoryError for anything but a log of at least one client operation. */
export function readKvLog(text: string): PairedOp[] {
  return pairEvents(readEdnEvents(text));
}
