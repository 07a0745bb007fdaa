import { applyDecorators } from '@nestjs/common';
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

/** OpenAPI for a write route: its result, the idempotency header, every error it can answer. */
export const ApiCommandResponses = () =>
  applyDecorators(
    ApiHeader({ name: 'Idempotency-Key', required: false, description: 'Retries with the same key and body get the first answer; nothing is recorded twice.' }),
    ApiResponse({ status: 201, type: CommandResult, description: 'Recorded' }),
    ...errors(400, 401, 403, 404, 409, 413, 422, 429),
  );

/** OpenAPI for a read route. */
export const ApiQueryResponses = () =>
  applyDecorators(
    ApiHeader({ name: 'X-Ledger-Position', required: false, description: 'Answer only from views that include this global position (read your own writes).' }),
    ...errors(400, 401, 403, 404, 429, 503),
  );
