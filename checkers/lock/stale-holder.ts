// A holder whose lease had surely run out (by the TTL bounds of history/ttl.ts) writing the
// guarded record anyway, and the write landing after a newer holder had read the record: the
// damage a paused client does, and what fencing tokens exist to stop. Stale writes that were
// refused, or that landed while no newer holder had touched the record, are counted by the
// report (guardedCounts) but prove nothing broken.

import type { Checker } from './checker.ts';
import { guardedFindings, staleHolderAnomaly } from './guarded-sections.ts';

export const staleHolder: Checker = {
  name: 'stale-holder',
  check(history, context) {
    const f = guardedFindings(history, context);
    const notJudged = f.notJudged.filter((n) => n.startsWith('stale-holder'));
    const anomalies = (f.stale ?? []).filter((s) => s.write.outcome === 'ok' && s.newer).map(staleHolderAnomaly);
    return { anomalies, ...(notJudged.length > 0 ? { notJudged: notJudged.join('; ') } : {}) };
  },
};
