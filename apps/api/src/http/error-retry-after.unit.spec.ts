import { StoreBusyError, StoreOutcomeUnknownError } from '../../../../libs/event-store/src/errors';
import { MissingPartError } from '../../../../libs/application/src/snapshot-store';
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

describe('an as-of answer whose stored view another process removed meanwhile', () => {
  it('is 503 VIEWS.SNAPSHOT_REPLACED with Retry-After 1, saying the question is fine and to ask again (not a 500)', () => {
    const body = toErrorBody(new MissingPartError('history:funding', 50_000, 'money/2014'));
    expect(body).toMatchObject({ statusCode: 503, code: 'VIEWS.SNAPSHOT_REPLACED', details: {} });
    expect(body.message).toMatch(/removed by another process.*ask again/);
    expect(body.message).not.toContain('money/2014'); // no internal detail
    expect(retryAfterOf(body)).toBe('1');
  });
});
