import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';
import type { Actor, Role } from '@tenderflow/domain/types';
import { forbidden, ProblemException } from '../common/problem';
import { AuthService, InvalidTokenError, type Authenticated } from './auth.service';
import { DirectoryService } from './directory.service';
import { IS_PUBLIC, REQUIRED_ROLES } from './auth.decorators';

export function unauthorized(detail: string): ProblemException {
  const e = new ProblemException(401, detail, { type: 'unauthorized' });
  (e.getResponse() as { headers?: Record<string, string> }).headers = { 'WWW-Authenticate': 'Bearer' };
  return e;
}

/** Global guard: a valid bearer token on every route not marked @Public(), and the route's roles. */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly auth: AuthService,
    private readonly directory: DirectoryService,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, targets)) return true;
    const req = context.switchToHttp().getRequest<Request & { actor?: Actor }>();
    req.actor = await this.authenticateBearer(req);
    const roles = this.reflector.getAllAndOverride<Role[] | undefined>(REQUIRED_ROLES, targets);
    if (
      roles &&
      roles.length > 0 &&
      !req.actor.roles.includes('admin') &&
      !roles.some((r) => req.actor!.roles.includes(r))
    ) {
      throw forbidden(`This action needs one of the roles: ${roles.join(', ')}`);
    }
    return true;
  }

  /**
   * The actor of the request's bearer token, or the 401 every protected route answers. For a
   * public route that authenticates in its own way when it has no bearer token (the calendar feed).
   */
  async authenticateBearer(req: Request): Promise<Actor> {
    const header = req.headers.authorization;
    const match = header?.match(/^Bearer\s+(\S+)$/i);
    if (!match) throw unauthorized('A bearer token is required (Authorization: Bearer <token>)');
    let who: Authenticated;
    try {
      who = await this.auth.authenticate(match[1]);
    } catch (err) {
      if (err instanceof InvalidTokenError) throw unauthorized(`Invalid token: ${err.message}`);
      throw err;
    }
    // The directory of people learns who signed in, with their claims (and e-mail), as they are now.
    await this.directory.recordSignIn(who.actor, who.email);
    return who.actor;
  }
}
