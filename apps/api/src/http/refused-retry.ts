import { CallHandler, ExecutionContext, Inject, Injectable, NestInterceptor } from '@nestjs/common';
import { catchError, from, Observable, throwError } from 'rxjs';
import { CommandExecutor } from '../../../../libs/application/src/command-executor';
import { DomainError } from '../../../../libs/domain/src/shared';
import { AppendResult, EventStore } from '../../../../libs/event-store/src/port';
import { HttpLikeRequest } from '../ledger/command-gateway';
import { EVENT_STORE } from '../ledger/tokens';
import { DOCUMENTED_COMMAND } from './openapi';

/**
 * How a write route makes its command's payload from the request, and its answer from the command's
 * result, when that is not the default: the body with the path parameters over it (`{ ...body, ...params }`),
 * answered with the result as it is.
 */
export interface RetryRoute {
  payload(body: Record<string, unknown>, params: Record<string, string>, req: HttpLikeRequest): object;
  /** `store`: for an answer that names what the command recorded (a correction's new entry id). */
  answer?(result: AppendResult, payload: Record<string, unknown>, store: EventStore): unknown;
}
const RETRY_ROUTES = new WeakMap<object, RetryRoute>();

/** Declares how a write route's payload and answer are made (see RetryRoute), for RefusedRetryInterceptor. */
export const RetryOfRefusedBody =
  (route: RetryRoute): MethodDecorator =>
  (_target, _key, descriptor) => {
    RETRY_ROUTES.set(descriptor.value as object, route);
  };

/**
 * For a route whose payload takes some of the body's fields: throws when the body has any other,
 * so a body with a field the first request did not have (which the payload would drop) is never
 * taken for that request: its refusal stands.
 */
export const onlyFields = (body: Record<string, unknown>, fields: readonly string[]): void => {
  const other = Object.keys(body).filter((k) => !fields.includes(k));
  if (other.length > 0) throw new Error(`fields the payload does not take: ${other.join(', ')}`);
};

/** A refusal of the request checks (the validation pipes: VALIDATION.* and the codes a DTO rule names), not of a rule decided in the domain. */
const isRequestCheckRefusal = (e: unknown): e is DomainError => e instanceof DomainError && e.kind === 'invalid' && Array.isArray(e.details.fields);

const isPlainObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

const header = (req: HttpLikeRequest, name: string): string | undefined => {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
};

/**
 * A retry of a write recorded before a request check was tightened: a keyed write whose body the
 * request checks refuse is answered from the sender's receipt under that key when the receipt is of
 * this very request (its hash is this body's, for the route's command: CommandExecutor.answerFromReceipt),
 * with the route's status and the first answer's body; nothing is recorded. Otherwise the refusal
 * stands (another sender, another body, no receipt: the validation error, never 409). Interceptors wrap
 * the pipes, so this sees their refusals; it does nothing on any other answer.
 */
@Injectable()
export class RefusedRetryInterceptor implements NestInterceptor {
  constructor(
    @Inject(CommandExecutor) private readonly executor: CommandExecutor,
    @Inject(EVENT_STORE) private readonly store: EventStore,
  ) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    // Reads and routes that issue no command are left as they are.
    if (!DOCUMENTED_COMMAND.has(context.getHandler())) return next.handle();
    return next.handle().pipe(catchError((e: unknown) => (isRequestCheckRefusal(e) ? from(this.answer(context, e)) : throwError(() => e))));
  }

  private async answer(context: ExecutionContext, refusal: DomainError): Promise<unknown> {
    if (context.getType() !== 'http') throw refusal;
    const handler = context.getHandler();
    const command = DOCUMENTED_COMMAND.get(handler);
    const req = context.switchToHttp().getRequest<HttpLikeRequest & { body?: unknown; params?: Record<string, string> }>();
    const key = header(req, 'idempotency-key');
    if (command === undefined || key === undefined || !req.actor || !isPlainObject(req.body)) throw refusal;
    const route = RETRY_ROUTES.get(handler);
    const params = req.params ?? {};
    let payload: Record<string, unknown>;
    try {
      payload = (route ? route.payload(req.body, params, req) : { ...req.body, ...params }) as Record<string, unknown>;
    } catch {
      throw refusal;
    }
    const outcome = await this.executor.answerFromReceipt({ command, payload, actor: req.actor, idempotencyKey: key });
    if (!outcome) throw refusal;
    return route?.answer ? await route.answer(outcome.result, payload, this.store) : outcome.result;
  }
}
