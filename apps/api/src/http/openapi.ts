import { applyDecorators, Type } from '@nestjs/common';
import { ApiExtraModels, ApiHeader, ApiProperty, ApiPropertyOptional, ApiQuery, ApiResponse, getSchemaPath } from '@nestjs/swagger';
import { DATE_PATTERN } from '../../../../libs/application/src/counties/dtos';
import { AS_OF_PATTERN } from '../ledger/query-gate';

/** Where @HttpCode keeps a route's status (@nestjs/common's HTTP_CODE_METADATA). */
const HTTP_CODE_METADATA = '__httpCode__';
/** Where Nest keeps a handler's parameter decorators (@nestjs/common's ROUTE_ARGS_METADATA), and the kind of a @Query() among them (RouteParamtypes.QUERY). */
const ROUTE_ARGS_METADATA = '__routeArguments__';
const QUERY_PARAMTYPE = 4;

export class ErrorResponse {
  @ApiProperty({ type: 'integer', example: 422 }) statusCode!: number;
  @ApiProperty({ example: 'CENTRE.CLOSED', description: 'Stable, machine-readable code' }) code!: string;
  @ApiProperty({ example: 'Career centre Kristiansand is closed from 2014-06-30; nothing more can be recorded for it.' }) message!: string;
  @ApiProperty({ type: 'object', additionalProperties: true }) details!: Record<string, unknown>;
}

export class CommandResult {
  @ApiProperty({ example: 'centre-telemark' }) streamId!: string;
  @ApiProperty({ type: 'integer', example: 3, description: 'Revision of the stream after the write' }) revision!: number;
  @ApiProperty({ type: 'integer', example: 1042, description: 'Global log position; send it back as X-Ledger-Position to read your own write' }) position!: number;
  @ApiProperty({ type: [String] }) eventIds!: string[];
  @ApiProperty({ nullable: true, type: String }) recordedAt!: string | null;
  @ApiPropertyOptional({ example: 'tm-2013-drift-fk', description: 'Funding writes that record or reverse an entry: the id of the entry recorded (the one given, else derived from the Idempotency-Key or generated; `<id>.reversal` for a reversal)' })
  entryId?: string;
}

/** An error answer (always JSON, whatever media types the route's 200 has). */
export const ApiErrorResponse = (status: number, description?: string) => ApiResponse({ status, type: ErrorResponse, description });

const errors = (...statuses: number[]) => statuses.map((status) => ApiErrorResponse(status));

/** 409 for a route that names an owner agreement by its id alone: agreement ids are unique per centre only. */
export const ApiAmbiguousAgreementId = () =>
  ApiErrorResponse(409, 'OWNER_AGREEMENT.AMBIGUOUS_ID: several centres have an owner agreement with this id; `details.centreIds` names them, with the centre-scoped paths to ask instead.');

/**
 * OpenAPI for a write route: its result, the idempotency header, every error it can answer.
 * The success status follows the route's own @HttpCode (200), else 201. @HttpCode is usually written
 * above this decorator and so applied after it: the success response is declared once the class is
 * fully decorated (a microtask later, long before the document is built).
 */
export const ApiCommandResponses = (): MethodDecorator => (target, key, descriptor) => {
  applyDecorators(
    ApiHeader({ name: 'Idempotency-Key', required: false, description: 'Retries with the same key and body get the first answer; nothing is recorded twice.' }),
    ...errors(400, 401, 403, 404, 409, 413, 422, 429),
  )(target, key, descriptor);
  queueMicrotask(() => {
    const status = Reflect.getMetadata(HTTP_CODE_METADATA, descriptor.value as object) === 200 ? 200 : 201;
    ApiResponse({ status, type: CommandResult, description: status === 201 ? 'Recorded' : 'Recorded (or nothing to record)' })(target, key, descriptor);
  });
};

const JSON_TYPE = 'application/json';

/** The 200 answer's content: JSON as it is (with its schema when the route names one), CSV as text, any other type (XLSX) as bytes. */
const answerContent = (types: readonly string[], schema?: AnswerSchema) =>
  Object.fromEntries(
    types.map((t) => [
      t,
      t === JSON_TYPE
        ? schema
          ? { schema: schema.isArray ? { type: 'array', items: { $ref: getSchemaPath(schema.type) } } : { $ref: getSchemaPath(schema.type) } }
          : {}
        : { schema: t.startsWith('text/') ? { type: 'string' } : { type: 'string', format: 'binary' } },
    ]),
  );

/**
 * Whether a handler takes its whole query as one DTO (`@Query() q: SomeQuery`): that DTO then lists
 * every query parameter the route accepts (unknown ones are refused), asOf among them or not.
 */
const takesQueryDto = (target: object, key: string | symbol): boolean => {
  const args = (Reflect.getMetadata(ROUTE_ARGS_METADATA, target.constructor, key) ?? {}) as Record<string, { data?: unknown }>;
  return Object.entries(args).some(([k, a]) => Number(k.split(':')[0]) === QUERY_PARAMTYPE && a.data === undefined);
};

/** The recorded-time cut every read route takes (QueryGate reads it). */
const asOfQuery = () =>
  ApiQuery({
    name: 'asOf',
    required: false,
    schema: { type: 'string', pattern: AS_OF_PATTERN.source, example: '2014-05-09T23:59:59Z' },
    description:
      'Recorded time: answer as the ledger would have then, from the views at the last position recorded at or before this instant. ISO-8601 with a zone (2014-05-09T23:59:59Z, 2014-05-09T23:59:59+02:00); a date alone (2014-05-09) means the end of that day, UTC. 400 REQUEST.BAD_AS_OF otherwise.',
  });

/** A class whose @ApiProperty fields describe a JSON answer (documentation only), or a list of them. */
export interface AnswerSchema {
  type: Type<unknown>;
  isArray?: boolean;
}

export interface QueryResponsesOptions {
  /** The media types of the 200 answer (default JSON only); error answers are JSON whatever these are. */
  produces?: readonly string[];
  /** The JSON answer's schema, where the route documents one. */
  schema?: AnswerSchema;
}

/**
 * OpenAPI for a read route: its 200 (JSON unless `produces` says otherwise), the read-your-writes
 * header, `asOf`, and every error it can answer. `asOf` is declared here unless the handler takes
 * its whole query as a DTO, which then declares asOf itself (or names its cut another way).
 */
export const ApiQueryResponses = (options: QueryResponsesOptions = {}): MethodDecorator => (target, key, descriptor) => {
  applyDecorators(
    ApiHeader({ name: 'X-Ledger-Position', required: false, description: 'Answer only from views that include this global position (read your own writes).' }),
    ...(options.schema ? [ApiExtraModels(options.schema.type)] : []),
    ApiResponse({ status: 200, description: 'The answer', content: answerContent(options.produces ?? [JSON_TYPE], options.schema) }),
    ...(takesQueryDto(target, key) ? [] : [asOfQuery()]),
    ...errors(400, 401, 403, 404, 429, 503),
  )(target, key, descriptor);
};

/** `?date=`: the business date a governance query asks about (not asOf, which is recorded time). */
export const DATE_QUERY = ApiQuery({
  name: 'date',
  required: false,
  schema: { type: 'string', format: 'date', pattern: DATE_PATTERN.source, example: '2014-06-01' },
  description: 'Business date YYYY-MM-DD (default today; 400 REQUEST.BAD_DATE otherwise); asOf is recorded time',
});

/** `?year=`: a list filter by year, a whole number in the given range. */
export const ApiYearQuery = (minimum: number, maximum: number, description?: string) =>
  ApiQuery({ name: 'year', required: false, schema: { type: 'integer', minimum, maximum, example: 2014 }, description });
