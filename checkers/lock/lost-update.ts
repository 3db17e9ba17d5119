// Increments of the guarded record that holders had acknowledged and that are gone: two critical
// sections that read the same counter and both wrote, or a final value (read at ALL after the
// faults healed) below the number of acknowledged increments.

import type { Checker } from './checker.ts';
import { guardedFindings } from './guarded-sections.ts';

export const lostUpdate: Checker = {
  name: 'lost-update',
  check(history, context) {
    const f = guardedFindings(history, context);
    const notJudged = f.notJudged.filter((n) => n.startsWith('lost-update'));
    return { anomalies: f.lostUpdates, ...(notJudged.length > 0 ? { notJudged: notJudged.join('; ') } : {}) };
  },
};
