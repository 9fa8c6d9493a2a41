import { HttpException, HttpStatus } from '@nestjs/common';
import { StateNames } from './enum-names';

/** 409: the lifecycle does not allow this step from the incident's state; names the ones it does. */
export class IllegalTransitionException extends HttpException {
  constructor(from: number, to: number, allowed: readonly number[]) {
    const names = allowed.map((state) => StateNames.toName(state));
    const reason = `an incident in state ${StateNames.toName(from)} cannot become ${StateNames.toName(to)}; allowed: ${
      names.length ? names.join(', ') : 'none (final state)'
    }`;
    super(
      {
        statusCode: 409,
        error: 'Conflict',
        message: reason,
        state: StateNames.toName(from),
        allowedTransitions: names,
        problems: [{ field: 'to', reason }],
      },
      HttpStatus.CONFLICT,
    );
  }
}
