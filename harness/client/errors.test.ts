import cassandra from 'cassandra-driver';
import { describe, expect, it } from 'vitest';
import { classifyError } from './errors.ts';

const { errors, types } = cassandra;
const codes = types.responseErrorCodes;

function response(code: number, extra: Record<string, unknown> = {}): Error {
  return Object.assign(new errors.ResponseError(code, 'from the server'), extra);
}

function socketError(requestNotWritten: boolean): Error {
  return Object.assign(new Error('socket closed'), { isSocketError: true, requestNotWritten });
}

describe('classifyError', () => {
  it('never calls a failed read anything but fail', () => {
    for (const err of [new errors.OperationTimedOutError('late'), response(codes.readTimeout), socketError(false)]) {
      expect(classifyError(err, 'read').type).toBe('fail');
    }
  });

  it('treats every timeout of a write or LWT as unknown', () => {
    for (const kind of ['write', 'cas'] as const) {
      expect(classifyError(new errors.OperationTimedOutError('late'), kind).type).toBe('info');
      expect(classifyError(response(codes.writeTimeout, { writeType: 'CAS' }), kind).type).toBe('info');
      expect(classifyError(response(codes.writeTimeout, { writeType: 'SIMPLE' }), kind).type).toBe('info');
      expect(classifyError(response(codes.readTimeout), kind).type).toBe('info');
      expect(classifyError(response(codes.writeFailure), kind).type).toBe('info');
      expect(classifyError(response(codes.serverError), kind).type).toBe('info');
    }
  });

  it('separates a socket error before the request was written from one after', () => {
    expect(classifyError(socketError(true), 'write').type).toBe('fail');
    expect(classifyError(socketError(false), 'write').type).toBe('info');
    expect(classifyError(socketError(false), 'cas').type).toBe('info');
  });

  it('calls NoHostAvailable and overload definite, naming the inner errors', () => {
    const nha = new errors.NoHostAvailableError({ '10.0.0.1:9042': new Error('connection refused') });
    const out = classifyError(nha, 'cas');
    expect(out.type).toBe('fail');
    expect(out.error).toContain('connection refused');
    expect(classifyError(response(codes.overloaded), 'write').type).toBe('fail');
    expect(classifyError(response(codes.invalid), 'cas').type).toBe('fail');
  });

  it('calls unavailable definite for plain writes and for LWT only in its Paxos phases', () => {
    const atSerial = response(codes.unavailableException, { consistencies: types.consistencies.serial });
    const atCommit = response(codes.unavailableException, { consistencies: types.consistencies.quorum });
    expect(classifyError(atCommit, 'write').type).toBe('fail');
    expect(classifyError(atSerial, 'cas').type).toBe('fail');
    expect(classifyError(atCommit, 'cas').type).toBe('info');
  });

  it('keeps the error to one line', () => {
    const out = classifyError(new Error('a\nmultiline\nmessage'), 'write');
    expect(out).toEqual({ type: 'info', error: 'Error: a multiline message' });
  });
});
