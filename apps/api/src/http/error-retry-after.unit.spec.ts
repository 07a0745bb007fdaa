import { StoreBusyError, StoreOutcomeUnknownError } from '../../../../libs/event-store/src/errors';
import { retryAfterOf, toErrorBody } from './error.filter';

describe('Retry-After of the store\'s 503s', () => {
  it('STORE.OUTCOME_UNKNOWN says to wait out the claim lease; STORE.BUSY a second; other answers none', () => {
    const unknown = toErrorBody(new StoreOutcomeUnknownError('grant-1', 60));
    expect(unknown).toMatchObject({ statusCode: 503, code: 'STORE.OUTCOME_UNKNOWN', details: { streamId: 'grant-1', retryAfterSeconds: 60 } });
    expect(unknown.message).toContain('same Idempotency-Key after 60 seconds');
    expect(retryAfterOf(unknown)).toBe('60');
    expect(retryAfterOf(toErrorBody(new StoreBusyError(10_000)))).toBe('1');
    expect(retryAfterOf({ statusCode: 503, code: 'VIEWS.CATCHING_UP', message: '', details: { retryAfterSeconds: 5 } })).toBeUndefined();
  });
});
