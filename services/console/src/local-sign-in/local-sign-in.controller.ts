import { All, Controller, Inject, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { LocalSignIn } from './local-sign-in';

export const LOCAL_SIGN_IN = Symbol('LOCAL_SIGN_IN');

/** `/local-issuer/…`: the embedded default's OIDC provider (see LocalSignIn); absent otherwise. */
@Controller('local-issuer')
export class LocalSignInController {
  constructor(@Inject(LOCAL_SIGN_IN) private readonly signIn: LocalSignIn) {}

  @All('*path')
  async handle(@Req() req: Request, @Res() res: Response) {
    const path = req.path.slice('/local-issuer'.length) || '/';
    if (!(await this.signIn.handle(path, req, res)))
      res.status(404).json({ statusCode: 404, message: 'not found' });
  }
}
