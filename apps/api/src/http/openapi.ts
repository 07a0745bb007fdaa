import { applyDecorators } from '@nestjs/common';

/** Where @HttpCode keeps a route's status (@nestjs/common's HTTP_CODE_METADATA). */
const HTTP_CODE_METADATA = '__httpCode__';
import { ApiHeader, ApiProperty, ApiResponse } from '@nestjs/swagger';

export class ErrorResponse {
  @ApiProperty({ example: 422 }) statusCode!: number;
  @ApiProperty({ example: 'CENTRE.CLOSED', description: 'Stable, machine-readable code' }) code!: string;
  @ApiProperty({ example: 'Career centre Kristiansand was closed on 2014-06-30; nothing more can be recorded for it.' }) message!: string;
  @ApiProperty({ type: 'object', additionalProperties: true }) details!: Record<string, unknown>;
}

export class CommandResult {
  @ApiProperty({ example: 'centre-telemark' }) streamId!: string;
  @ApiProperty({ example: 3, description: 'Revision of the stream after the write' }) revision!: number;
  @ApiProperty({ example: 1042, description: 'Global log position; send it back as X-Ledger-Position to read your own write' }) position!: number;
  @ApiProperty({ type: [String] }) eventIds!: string[];
  @ApiProperty({ nullable: true, type: String }) recordedAt!: string | null;
}

const errors = (...statuses: number[]) => statuses.map((status) => ApiResponse({ status, type: ErrorResponse }));

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

/** OpenAPI for a read route. */
export const ApiQueryResponses = () =>
  applyDecorators(
    ApiHeader({ name: 'X-Ledger-Position', required: false, description: 'Answer only from views that include this global position (read your own writes).' }),
    ...errors(400, 401, 403, 404, 429, 503),
  );
