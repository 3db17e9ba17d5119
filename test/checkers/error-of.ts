import { HistoryError } from '../../checkers/readers/history-error.ts';

/** The HistoryError `f` throws; any other exception, or none, fails the test. */
export function errorOf(f: () => unknown): HistoryError {
  try {
    f();
  } catch (e) {
    if (e instanceof HistoryError) return e;
    throw e;
  }
  throw new Error('expected a HistoryError');
}
