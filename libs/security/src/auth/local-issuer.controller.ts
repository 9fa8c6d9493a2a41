import { Controller, Get, Header, type Type } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { JSONWebKeySet } from 'jose';
import { Operation } from '../policy/decorators';
import { SECURITY_POLICIES } from '../policy/security.policies';
import type { LocalIssuer } from './local-issuer';

/**
 * `GET <path>/.well-known/jwks.json`: the local issuer's public keys, for anything that verifies
 * the embedded default's tokens over HTTP like it would a real identity provider's.
 */
export function createLocalIssuerController(
  issuer: LocalIssuer,
  options: { path?: string } = {},
): Type<unknown> {
  @ApiExcludeController()
  @Controller(options.path ?? 'auth')
  class LocalIssuerController {
    @Get('.well-known/jwks.json')
    @Operation(SECURITY_POLICIES.readIssuerKeys)
    @Header('Cache-Control', 'public, max-age=300')
    jwks(): JSONWebKeySet {
      return issuer.jwks();
    }
  }
  return LocalIssuerController;
}
