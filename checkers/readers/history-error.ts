// The error every reader throws for bad input; defined with the history contract.
export { HistoryError } from '../../history/error.ts';
