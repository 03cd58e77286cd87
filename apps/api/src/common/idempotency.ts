import { applyDecorators, createParamDecorator, ExecutionContext } from '@nestjs/common';
import { ApiHeader } from '@nestjs/swagger';
import type { Request } from 'express';
import { badRequest } from './problem';

export const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,200}$/;

export const ApiIdempotencyKey = (
  description = 'A retry with the same key returns the first outcome; the command takes effect once',
) =>
  applyDecorators(
    ApiHeader({
      name: 'Idempotency-Key',
      required: false,
      description,
      schema: { type: 'string', pattern: '^[\\x21-\\x7e]{1,200}$' },
    }),
  );

/** What a command needs besides its body: the caller's Idempotency-Key and the route, for the logs. */
export interface CommandContext {
  idempotencyKey?: string;
  route: { method: string; path: string };
}

export const CommandCtx = createParamDecorator((_: unknown, ctx: ExecutionContext): CommandContext => {
  const req = ctx.switchToHttp().getRequest<Request>();
  const value = req.headers['idempotency-key'];
  if (value !== undefined && (typeof value !== 'string' || !IDEMPOTENCY_KEY.test(value))) {
    throw badRequest('Idempotency-Key must be 1–200 visible ASCII characters', [
      { field: 'Idempotency-Key', rule: 'format', message: '1–200 visible ASCII characters' },
    ]);
  }
  return { idempotencyKey: value, route: { method: req.method, path: req.path } };
});
