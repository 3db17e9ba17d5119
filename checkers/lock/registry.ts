// Every lock checker, in the order their anomalies are reported. A new checker is one file in
// this folder exporting a Checker, and one line here.

import type { Checker } from './checker.ts';
import { doubleHolder } from './double-holder.ts';
import { ghostLock } from './ghost-lock.ts';
import { lostRelease } from './lost-release.ts';
import { nonLinearizable } from './non-linearizable.ts';
import { orphanedLock } from './orphaned-lock.ts';
import { resurrectedLock } from './resurrected-lock.ts';
import { tornRow } from './torn-row.ts';
import { lostUpdate } from './lost-update.ts';
import { staleHolder } from './stale-holder.ts';

export const LOCK_CHECKERS: readonly Checker[] = [doubleHolder, resurrectedLock, lostRelease, tornRow, orphanedLock, ghostLock, nonLinearizable, lostUpdate, staleHolder];
