import { createParamDecorator, ExecutionContext, SetMetadata } from '@nestjs/common';
import type { Actor, Role } from '@tenderflow/domain/types';

export const IS_PUBLIC = Symbol('isPublic');
export const REQUIRED_ROLES = Symbol('requiredRoles');

/** No token needed (health, public transparency export). */
export const Public = () => SetMetadata(IS_PUBLIC, true);

/** The caller needs at least one of these roles; `admin` always passes. */
export const Roles = (...roles: Role[]) => SetMetadata(REQUIRED_ROLES, roles);

export const CurrentActor = createParamDecorator((_: unknown, ctx: ExecutionContext): Actor => {
  return ctx.switchToHttp().getRequest<{ actor: Actor }>().actor;
});
