import { Catch, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import { httpProblemOf } from '@safecity/service-kit';
import type { Request, Response } from 'express';
import { IllegalTransitionError } from './incident-errors';

/**
 * The REST answer of an illegal step: the problem document every conflict gets, plus `state` and
 * `allowedTransitions`, which the console read before problem documents carried `allowed`.
 */
@Catch(IllegalTransitionError)
export class IllegalTransitionFilter implements ExceptionFilter<IllegalTransitionError> {
  catch(error: IllegalTransitionError, host: ArgumentsHost): void {
    const request = host.switchToHttp().getRequest<Request>();
    const response = host.switchToHttp().getResponse<Response>();
    const { status, headers, body } = httpProblemOf(error, request.originalUrl.split('?')[0]);
    for (const [name, value] of Object.entries(headers)) response.setHeader(name, value);
    response
      .status(status)
      .send(JSON.stringify({ ...body, state: error.state, allowedTransitions: error.allowed ?? [] }));
  }
}
