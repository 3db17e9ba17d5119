// What a lock checker reports. Field names are part of results.json, which other tools read: keep them.

export type AnomalyKind =
  | 'double-holder'
  | 'resurrected-lock'
  | 'torn-row'
  | 'lost-release'
  | 'orphaned-lock'
  | 'ghost-lock'
  | 'non-linearizable'
  | 'lost-update'
  | 'stale-holder';

export interface Anomaly {
  kind: AnomalyKind;
  key: string;
  owners: string[];
  /** Indexes of the history events that together prove it; as few as suffice. */
  witness: number[];
  /** One plain-English sentence. */
  explanation: string;
}

export type Verdict = 'safe' | 'unsafe' | 'unknown';
