import { Inject, Injectable } from '@nestjs/common';
import { ProjectionEngine } from '../../../../libs/application/src/projection-engine';
import { DomainError } from '../../../../libs/domain/src/shared';

/**
 * Read-your-writes: a query waits until the views include every position this process has
 * acknowledged, and any position the client names in `X-Ledger-Position`.
 */
@Injectable()
export class QueryGate {
  constructor(@Inject(ProjectionEngine) readonly engine: ProjectionEngine) {}

  /**
   * The view a query answers from. Pass the whole request: the auditor's `asOf` (recorded time)
   * is handled here, once, for every query.
   */
  async view<V>(name: string, req?: { headers?: Record<string, unknown>; query?: Record<string, unknown> }): Promise<V> {
    await this.ready(req?.headers);
    return this.engine.view<V>(name);
  }

  async ready(headers?: Record<string, unknown>): Promise<void> {
    const raw = headers?.['x-ledger-position'];
    let wanted: number | undefined;
    if (raw !== undefined) {
      wanted = Number(raw);
      if (!Number.isSafeInteger(wanted) || wanted < 0) throw new DomainError('REQUEST.BAD_POSITION', 'X-Ledger-Position must be a whole number ≥ 0.', 'invalid');
    }
    await this.engine.caughtUp();
    if (wanted !== undefined) await this.engine.caughtUp(wanted);
  }
}
