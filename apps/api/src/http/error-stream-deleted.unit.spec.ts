import { StreamDeletedOnNodeError } from '../../../../libs/event-store/src/errors';
import { REFUSALS } from '../../../../libs/application/src/error-codes';
import { ERROR_CODES, READ_ROUTE_REFUSALS } from './error-codes';
import { retryAfterOf, toErrorBody } from './error.filter';

describe('a stream hard-deleted on the EventStoreDB node, at the HTTP edge', () => {
  it('is 500 STORE.STREAM_DELETED naming the stream (and the tombstone\'s position when the log was read), in plain words, no Retry-After (it was 500 INTERNAL)', () => {
    const read = toErrorBody(new StreamDeletedOnNodeError('centre-kc-skien'));
    expect(read).toEqual({ statusCode: 500, code: 'STORE.STREAM_DELETED', message: expect.any(String), details: { streamId: 'centre-kc-skien' } });
    expect(read.message).toContain("Part of the ledger's recorded history (stream centre-kc-skien) has been deleted from the EventStoreDB node");
    expect(read.message).toContain('Nothing was recorded by this request.');
    expect(read.message).toContain('An administrator must restore the stream from a backup of the node');
    expect(read.message).toContain('`ledger verify` names every deleted stream');
    expect(retryAfterOf(read)).toBeUndefined();
    expect(toErrorBody(new StreamDeletedOnNodeError('grant-1', 4_242))).toMatchObject({ statusCode: 500, code: 'STORE.STREAM_DELETED', details: { streamId: 'grant-1', position: 4_242 } });
  });

  it('is catalogued for 500 and listed for every command and every read route', () => {
    expect(Object.keys(REFUSALS['STORE.STREAM_DELETED'])).toEqual(['500']);
    expect(ERROR_CODES['STORE.STREAM_DELETED'][500]).toMatch(/hard-deleted \(tombstoned\) on the EventStoreDB node.*nothing was recorded.*restore the stream from a backup/);
    expect(READ_ROUTE_REFUSALS).toContain('STORE.STREAM_DELETED');
  });
});
