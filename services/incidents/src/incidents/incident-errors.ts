import { ConflictError } from '@safecity/service-kit';
import { StateNames } from './enum-names';

/** The lifecycle does not allow this step from the incident's state; names the ones it does. */
export class IllegalTransitionError extends ConflictError {
  /** The incident's state, by name. */
  readonly state: string;

  constructor(from: number, to: number, allowed: readonly number[]) {
    const names = allowed.map((state) => StateNames.toName(state));
    super(
      `an incident in state ${StateNames.toName(from)} cannot become ${StateNames.toName(to)}; allowed: ${
        names.length ? names.join(', ') : 'none (final state)'
      }`,
      { field: 'to', allowed: names },
    );
    this.state = StateNames.toName(from);
  }
}
