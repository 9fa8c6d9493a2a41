import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { Principal } from '../principal';
import { principalFromContext } from './call-context';

/** Set by `@VideoSystemAuth()`: the route takes API keys, checked by its own guard, not bearer tokens. */
export const VIDEO_SYSTEM_AUTH = 'safecity:security:video-system';

/**
 * The authenticated principal of an HTTP or gRPC call. On gRPC handlers, once one parameter is
 * decorated Nest passes only decorated ones: declare the request with `@Payload()` too.
 */
export const CurrentPrincipal = createParamDecorator(
  (_data: unknown, context: ExecutionContext): Principal | undefined => principalFromContext(context),
);
