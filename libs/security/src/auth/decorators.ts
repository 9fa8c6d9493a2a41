import { createParamDecorator, SetMetadata, type ExecutionContext } from '@nestjs/common';
import { isRole, type Principal, type Role } from '../principal';
import { principalFromContext } from './call-context';

export const IS_PUBLIC = 'safecity:security:public';
export const REQUIRED_ROLES = 'safecity:security:roles';
/** Set by `@VideoSystemAuth()`: the route takes API keys, checked by its own guard, not bearer tokens. */
export const VIDEO_SYSTEM_AUTH = 'safecity:security:video-system';

/** Exempts a handler or controller from authentication. */
export const Public = (): MethodDecorator & ClassDecorator => SetMetadata(IS_PUBLIC, true);

/**
 * The caller needs at least one of these roles (403 otherwise). On a method it replaces the
 * controller's list. `admin` is not implied: name it where admins belong.
 */
export const Roles = (...roles: Role[]): MethodDecorator & ClassDecorator => {
  const unknown = roles.filter((role) => !isRole(role));
  if (roles.length === 0 || unknown.length > 0) {
    throw new Error(`@Roles needs platform roles, got ${JSON.stringify(roles)}`);
  }
  return SetMetadata(REQUIRED_ROLES, roles);
};

/**
 * The authenticated principal of an HTTP or gRPC call. On gRPC handlers, once one parameter is
 * decorated Nest passes only decorated ones: declare the request with `@Payload()` too.
 */
export const CurrentPrincipal = createParamDecorator(
  (_data: unknown, context: ExecutionContext): Principal | undefined => principalFromContext(context),
);
