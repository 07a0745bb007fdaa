import { applyDecorators, Type } from '@nestjs/common';
import { ApiExtraModels, ApiHeader, ApiProperty, ApiPropertyOptional, ApiQuery, ApiResponse, getSchemaPath } from '@nestjs/swagger';
import { getMetadataStorage, ValidationTypes } from 'class-validator';
import { ALL_COMMANDS } from '../../../../libs/application/src/command-registry';
import { commandRefusals } from '../../../../libs/application/src/command-refusals';
import { refusalEntries, REFUSALS } from '../../../../libs/application/src/error-codes';
import { DATE_PATTERN } from '../../../../libs/application/src/counties/dtos';
import { AS_OF_PATTERN } from '../ledger/query-gate';
import { PRODUCES, WithRouteConfig } from './route-config';
import { ErrorStatus, READ_ROUTE_REFUSALS, RefusalEntry, RouteRefusal, routeRefusalEntries, WRITE_ROUTE_REFUSALS } from './error-codes';
import { declareReadCuts, readCutsOf } from './read-cuts';

export type { RouteRefusal } from './error-codes';

/** Where @HttpCode keeps a route's status (@nestjs/common's HTTP_CODE_METADATA). */
const HTTP_CODE_METADATA = '__httpCode__';
/** Where Nest keeps a handler's parameter decorators (@nestjs/common's ROUTE_ARGS_METADATA), and the kind of a @Query() among them (RouteParamtypes.QUERY). */
const ROUTE_ARGS_METADATA = '__routeArguments__';
const QUERY_PARAMTYPE = 4;

export class ErrorResponse {
  @ApiProperty({ type: 'integer', example: 422 }) statusCode!: number;
  @ApiProperty({ example: 'CENTRE.CLOSED', description: 'Stable, machine-readable code; each error status of a route lists the codes it can answer' }) code!: string;
  @ApiProperty({ example: 'Career centre Kristiansand is closed from 2014-06-30; nothing more can be recorded for it.' }) message!: string;
  @ApiProperty({ type: 'object', additionalProperties: true }) details!: Record<string, unknown>;
}

export class CommandResult {
  @ApiProperty({ example: 'centre-telemark' }) streamId!: string;
  @ApiProperty({ type: 'integer', example: 3, description: 'Revision of the stream after the write' }) revision!: number;
  @ApiProperty({ type: 'integer', example: 1042, description: 'Global log position; send it back as X-Ledger-Position to read your own write' }) position!: number;
  @ApiProperty({ type: [String] }) eventIds!: string[];
  @ApiProperty({ nullable: true, type: String }) recordedAt!: string | null;
  @ApiPropertyOptional({
    example: 'tm-2013-drift-fk',
    nullable: true,
    type: String,
    description: 'Funding writes that record, reverse or correct an entry: the id of the entry recorded (the one given, else derived from the Idempotency-Key or generated; `<id>.reversal` for a reversal; `<original id>.c<n>` for a correction: the new entry)',
  })
  entryId?: string | null;
}

/**
 * The codes a route's own decorators add to what its ApiCommandResponses or ApiQueryResponses
 * documents (a query parameter's refusals, a route's own 404), by handler. The error responses are
 * written once the method is fully decorated (a microtask later), so the order of decorators does not matter.
 */
const ADDED = new WeakMap<object, RouteRefusal[]>();

/** Codes this route can answer beyond those its command or read documents: a parameter's checks, its own 404s. */
export const ApiRefusals = (...refusals: RouteRefusal[]): MethodDecorator => (_target, _key, descriptor) => {
  const handler = descriptor.value as object;
  ADDED.set(handler, [...(ADDED.get(handler) ?? []), ...refusals]);
};

/** One line per code: `- \`CODE\` — what it means`. */
const describe = (entries: readonly RefusalEntry[]): string => entries.map((e) => `- \`${e.code}\` — ${e.description}`).join('\n');

/**
 * The error responses of a route: one per status, its description naming every code the route can
 * answer with that status and what each means (the route's own first, then those every route has).
 */
const errorResponses = (lists: readonly (readonly RefusalEntry[])[]): MethodDecorator => {
  const byStatus = new Map<ErrorStatus, RefusalEntry[]>();
  const seen = new Set<string>();
  for (const e of lists.flat()) {
    if (seen.has(`${e.code} ${e.status}`)) continue;
    seen.add(`${e.code} ${e.status}`);
    byStatus.set(e.status, [...(byStatus.get(e.status) ?? []), e]);
  }
  return applyDecorators(
    ...[...byStatus].sort(([a], [b]) => a - b).map(([status, entries]) => ApiResponse({ status, type: ErrorResponse, description: describe(entries), example: errorExample(status, entries[0]) })),
  );
};

/**
 * What an answer of this status looks like, with its first code: without it every status showed the
 * ErrorResponse schema's one example (422 CENTRE.CLOSED), under 401 and 429 too.
 */
const errorExample = (status: ErrorStatus, e: RefusalEntry) => ({
  statusCode: status,
  code: e.code,
  message: `${e.description.charAt(0).toUpperCase()}${e.description.slice(1)}.`,
  details: {},
});

/** The command definitions by name (the registry HTTP and `ledger import` share). */
const COMMANDS = new Map(ALL_COMMANDS.map((d) => [d.name, d]));

/** Which command each write route documents, by handler (for the catalogue test). */
export const DOCUMENTED_COMMAND = new WeakMap<object, string>();

/**
 * OpenAPI for a write route that issues `command`: its result, the idempotency header, and every
 * error it can answer, each status naming its codes: the command's own refusals (its definition's
 * `refusals`), the route's (`also`, and any ApiRefusals), the codes its payload's rules answer (the
 * text rules, and the domain codes rules stand for: `coded(…)`, validation.ts), the command
 * path's (validation, access, idempotency, concurrency, the store's 503 STORE.BUSY) and the HTTP
 * edge's (body, token, rate limit, 503 SERVER.SHUTTING_DOWN). The success status follows the route's
 * own @HttpCode (200), else 201. @HttpCode is usually written above this decorator and so applied
 * after it: the responses are declared once the class is fully decorated (a microtask later, long
 * before the document is built).
 */
export const ApiCommandResponses = (command: string, ...also: RouteRefusal[]): MethodDecorator => (target, key, descriptor) => {
  const def = COMMANDS.get(command);
  if (!def) throw new Error(`ApiCommandResponses: there is no command called ${command}.`);
  DOCUMENTED_COMMAND.set(descriptor.value as object, command);
  ApiHeader({ name: 'Idempotency-Key', required: false, description: 'A key is its sender\'s (the token\'s subject): retries by the same sender with the same key and body get the first answer; nothing is recorded twice. A refused request claims no key.' })(target, key, descriptor);
  // Worked out now, so a code missing from the catalogue stops the app at start-up with its name.
  const own = refusalEntries(REFUSALS, def.refusals);
  const route = routeRefusalEntries(also);
  const every = [...commandRefusals(def), ...routeRefusalEntries(WRITE_ROUTE_REFUSALS)];
  queueMicrotask(() => {
    const body = wholeArgumentType(target, key, BODY_PARAMTYPE);
    if (body && body !== Object) REQUEST_BODIES.add(body);
    const status = Reflect.getMetadata(HTTP_CODE_METADATA, descriptor.value as object) === 200 ? 200 : 201;
    ApiResponse({ status, type: CommandResult, description: status === 201 ? 'Recorded' : 'Recorded (or nothing to record)' })(target, key, descriptor);
    errorResponses([own, route, routeRefusalEntries(ADDED.get(descriptor.value as object) ?? []), every])(target, key, descriptor);
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

/** The class a handler takes one whole argument of a kind as (`@Query() q: SomeQuery`, `@Body() b: SomeBody`), or null when it takes none whole. */
const wholeArgumentType = (target: object, key: string | symbol, paramtype: number): Function | null => {
  const args = (Reflect.getMetadata(ROUTE_ARGS_METADATA, target.constructor, key) ?? {}) as Record<string, { index: number; data?: unknown }>;
  const arg = Object.entries(args).find(([k, a]) => Number(k.split(':')[0]) === paramtype && a.data === undefined);
  if (!arg) return null;
  const types = (Reflect.getMetadata('design:paramtypes', target, key) ?? []) as Function[];
  return types[arg[1].index] ?? Object;
};

/**
 * The DTO class a handler takes its whole query as, or null: that DTO then lists every query parameter
 * the route accepts (unknown ones are refused), asOf among them or not.
 */
const queryDto = (target: object, key: string | symbol): Function | null => wholeArgumentType(target, key, QUERY_PARAMTYPE);

/** Where @Body() keeps itself in ROUTE_ARGS_METADATA (@nestjs/common's RouteParamtypes.BODY). */
const BODY_PARAMTYPE = 3;

/** The body classes of the write routes (ApiCommandResponses): many extend a mapped DTO and hold no rules of their own. */
const REQUEST_BODIES = new Set<Function>();

/** The class-validator rules of a query DTO's properties. */
const rulesOf = (dto: Function) => getMetadataStorage().getTargetValidationMetadatas(dto, '', true, false);

/** Whether a query DTO takes `asOf` (then read by parseAsOf: 400 REQUEST.BAD_AS_OF). */
const takesAsOf = (dto: Function): boolean => rulesOf(dto).some((m) => m.propertyName === 'asOf');

/** Whether a query DTO requires `asOf` (not @IsOptional): its absence is then refused as REQUEST.BAD_AS_OF too (read-cuts.ts), before the DTO is validated. */
const requiresAsOf = (dto: Function): boolean => takesAsOf(dto) && !rulesOf(dto).some((m) => m.propertyName === 'asOf' && m.type === ValidationTypes.CONDITIONAL_VALIDATION);

/**
 * Whether the DTO's own validation can refuse anything (400 VALIDATION.FAILED): not when asOf is its
 * only parameter, as asOf, given, malformed or (where required) missing, is refused before it (REQUEST.BAD_AS_OF).
 */
const validatesMoreThanAsOf = (dto: Function): boolean => rulesOf(dto).some((m) => m.propertyName !== 'asOf');

/** The recorded-time cut every read route takes (QueryGate reads it). */
const asOfQuery = () =>
  ApiQuery({
    name: 'asOf',
    required: false,
    schema: { type: 'string', pattern: AS_OF_PATTERN.source },
    description:
      'Recorded time: answer as the ledger would have then, from the views at the last position recorded at or before this instant. ISO-8601 with a zone (2014-05-09T23:59:59Z, 2014-05-09T23:59:59+02:00); a date alone (2014-05-09) means the end of that day in Norway (Europe/Oslo); a year before 1970, given twice or written any other way is 400 REQUEST.BAD_AS_OF, and so is a misspelt name (asof, AsOf, as_of, as-of, asOf[]).',
  });

/** A class whose @ApiProperty fields describe a JSON answer (documentation only), or a list of them. */
export interface AnswerSchema {
  type: Type<unknown>;
  isArray?: boolean;
}

export interface QueryResponsesOptions {
  /**
   * The media types of the 200 answer (default JSON only); error answers are JSON whatever these are. An
   * Accept that allows none of them is 406 REQUEST.NOT_ACCEPTABLE: checked before the route for one type
   * (bootstrap.ts), by the handler's answersCsv for JSON or CSV.
   */
  produces?: readonly string[];
  /** The JSON answer's schema, where the route documents one. */
  schema?: AnswerSchema;
  /** The codes this route answers beyond every read's (its 404s, its parameters' checks), also addable with ApiRefusals. */
  refusals?: readonly RouteRefusal[];
}

/**
 * OpenAPI for a read route: its 200 (JSON unless `produces` says otherwise), the read-your-writes
 * header, `asOf`, and every error it can answer, each status naming its codes: the route's own
 * (`refusals`, and any ApiRefusals its parameters add), its query's (asOf, a query DTO's validation)
 * and every read's (the position header, token, role, rate limit, views and store, shutdown). `asOf`
 * is declared here unless the handler takes its whole query as a DTO, which then declares asOf itself
 * (or names its cut another way). The cuts the route takes are declared for the AuthGuard too (read-cuts.ts)
 * (read-cuts.ts), which refuses the others: 400 REQUEST.AS_OF_NOT_SUPPORTED, REQUEST.AT_POSITION_NOT_SUPPORTED.
 */
export const ApiQueryResponses = (options: QueryResponsesOptions = {}): MethodDecorator => (target, key, descriptor) => {
  const dto = queryDto(target, key);
  const asOf = dto === null || takesAsOf(dto);
  declareReadCuts(descriptor.value as object, { asOf, asOfRequired: dto !== null && requiresAsOf(dto) });
  applyDecorators(
    ApiHeader({ name: 'X-Ledger-Position', required: false, description: 'Answer only from views that include this global position (read your own writes).' }),
    ...(options.schema ? [ApiExtraModels(options.schema.type)] : []),
    ApiResponse({ status: 200, description: 'The answer', content: answerContent(options.produces ?? [JSON_TYPE], options.schema) }),
    ...(dto ? [] : [asOfQuery()]),
    // The types the Accept header is checked against (bootstrap.ts; a route offering more than one chooses, and refuses, in its handler).
    ...(options.produces ? [WithRouteConfig({ [PRODUCES]: options.produces })] : []),
  )(target, key, descriptor);
  // REQUEST.BAD_AS_OF on every read route: a malformed asOf where it is taken (a missing one where it is required), and anywhere a misspelt cut (asof, as_of, atposition…; read-cuts.ts).
  const query: RouteRefusal[] = ['REQUEST.BAD_AS_OF', ...(dto ? ([...(validatesMoreThanAsOf(dto) ? (['VALIDATION.FAILED'] as const) : []), 'VALIDATION.UNKNOWN_FIELD'] as const) : [])];
  const own = routeRefusalEntries(options.refusals ?? []);
  const every = routeRefusalEntries(READ_ROUTE_REFUSALS);
  queueMicrotask(() => {
    // The cuts it does not take, once every decorator of the method has run (TakesAtPosition may be written above this one).
    const cuts = readCutsOf(descriptor.value as object);
    const notTaken: RouteRefusal[] = [...(cuts?.asOf ? [] : (['REQUEST.AS_OF_NOT_SUPPORTED'] as const)), ...(cuts?.atPosition ? [] : (['REQUEST.AT_POSITION_NOT_SUPPORTED'] as const))];
    errorResponses([own, routeRefusalEntries(ADDED.get(descriptor.value as object) ?? []), routeRefusalEntries([...query, ...notTaken]), every])(target, key, descriptor);
  });
};

/** `?date=`: the business date a governance query asks about (not asOf, which is recorded time). */
export const DATE_QUERY = applyDecorators(
  ApiQuery({
    name: 'date',
    required: false,
    schema: { type: 'string', format: 'date', pattern: DATE_PATTERN.source },
    description: 'Business date YYYY-MM-DD, such as 2014-06-01 (default today; 400 REQUEST.BAD_DATE otherwise); asOf is recorded time',
  }),
  ApiRefusals('REQUEST.BAD_DATE'),
);

/** `?year=`: a list filter by year, a whole number in the given range; `refused` is the code a bad one gets (given twice: REQUEST.BAD_FILTER). */
export const ApiYearQuery = (minimum: number, maximum: number, refused: RouteRefusal, description?: string) =>
  applyDecorators(ApiQuery({ name: 'year', required: false, schema: { type: 'integer', minimum, maximum, example: 2014 }, description }), ApiRefusals(refused, 'REQUEST.BAD_FILTER'));

/** A list filter by one value (`?countyId=`): given more than once it is 400 REQUEST.BAD_FILTER (queryFilter). */
export const ApiFilterQuery = (name: string, options: { enum?: readonly string[]; description?: string } = {}) =>
  applyDecorators(
    ApiQuery({ name, required: false, ...(options.enum ? { enum: [...options.enum] } : { type: String }), description: options.description }),
    ApiRefusals('REQUEST.BAD_FILTER'),
  );

type SchemaLike = { $ref?: string; nullable?: boolean; properties?: Record<string, SchemaLike>; allOf?: SchemaLike[] };

/**
 * Every optional field of a request takes null as "left out" (class-validator's @IsOptional skips
 * both), so the document says so: `nullable: true` on each such property of each request schema
 * (a nested object's reference wrapped in `allOf`, as OpenAPI 3.0 wants it). Without it a client
 * generated from the document could not send what the ledger accepts, and a reader could not tell.
 */
export const markOptionalFieldsNullable = <D extends { components?: { schemas?: Record<string, unknown> } }>(document: D): D => {
  const schemas = (document.components?.schemas ?? {}) as Record<string, SchemaLike>;
  const storage = getMetadataStorage();
  const classes = new Set([...(storage as unknown as { validationMetadatas: Map<unknown, unknown[]> }).validationMetadatas.keys(), ...REQUEST_BODIES]);
  for (const cls of classes) {
    if (typeof cls !== 'function') continue;
    const properties = schemas[cls.name]?.properties;
    if (!properties) continue;
    for (const m of storage.getTargetValidationMetadatas(cls, '', true, false)) {
      if (m.type !== ValidationTypes.CONDITIONAL_VALIDATION || m.name !== 'isOptional') continue;
      const p = properties[m.propertyName];
      if (!p || p.nullable !== undefined) continue;
      properties[m.propertyName] = p.$ref ? { allOf: [{ $ref: p.$ref }], nullable: true } : { ...p, nullable: true };
    }
  }
  return document;
};

type ParameterLike = { required?: boolean; example?: unknown; schema?: { example?: unknown } };
type OperationLike = { parameters?: ParameterLike[]; requestBody?: unknown };
type DocumentLike = { paths?: object; components?: { schemas?: Record<string, unknown> } };

/**
 * An optional parameter shows no example value: Swagger UI puts a parameter's example in its field
 * and sends it with "Try it out", so an `asOf` example answered every read as of 2014 (GET /counties
 * answered `[]`). Examples stay in the descriptions.
 */
export const leaveOptionalParametersEmpty = <D extends DocumentLike>(document: D): D => {
  for (const byMethod of Object.values((document.paths ?? {}) as Record<string, Record<string, OperationLike>>))
    for (const op of Object.values(byMethod))
      for (const p of op.parameters ?? []) {
        if (p.required) continue;
        delete p.example;
        if (p.schema) delete p.schema.example;
      }
  return document;
};

type BodySchema = {
  $ref?: string;
  allOf?: BodySchema[];
  example?: unknown;
  enum?: unknown[];
  type?: string;
  format?: string;
  items?: BodySchema;
  properties?: Record<string, BodySchema>;
  required?: string[];
  minimum?: number;
};

/**
 * The body "Try it out" starts from, as the schema's own `example` (Swagger UI shows it instead of one
 * it builds): the required fields, and of the optional ones only those with an example of their own.
 * Built from every field it put `"entryId": "string"` in each money body (so the second write was
 * 409 ENTRY.ALREADY_EXISTS) and filled fields that only some uses take.
 */
export const exampleRequestBodies = <D extends DocumentLike>(document: D): D => {
  const schemas = (document.components?.schemas ?? {}) as unknown as Record<string, BodySchema>;
  const resolve = (s: BodySchema): BodySchema => (s.$ref ? resolve(schemas[s.$ref.split('/').pop()!] ?? {}) : s);
  const hasExample = (s: BodySchema): boolean => s.example !== undefined || (s.allOf ?? []).some((x) => hasExample(x)) || (s.$ref !== undefined && hasExample(resolve(s)));
  const sample = (raw: BodySchema, depth = 0): unknown => {
    const s = resolve(raw);
    if (s.example !== undefined) return s.example;
    if (s.allOf?.length) return sample(s.allOf[0], depth);
    if (s.enum?.length) return s.enum[0];
    if (s.type === 'array' || s.items) return [sample(s.items ?? {}, depth + 1)];
    if ((s.type === 'object' || s.properties) && depth < 8) {
      const required = new Set(s.required ?? []);
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(s.properties ?? {})) if (required.has(k) || hasExample(v)) out[k] = sample(v, depth + 1);
      return out;
    }
    if (s.type === 'integer' || s.type === 'number') return s.minimum ?? 0;
    if (s.type === 'boolean') return true;
    return s.type === 'string' ? 'string' : null;
  };
  for (const cls of REQUEST_BODIES) {
    const schema = schemas[cls.name];
    if (schema && schema.example === undefined) schema.example = sample(schema);
  }
  return document;
};

/** The document as /docs and /docs-json serve it. */
export const finishDocument = <D extends DocumentLike>(document: D): D => exampleRequestBodies(leaveOptionalParametersEmpty(markOptionalFieldsNullable(document)));
