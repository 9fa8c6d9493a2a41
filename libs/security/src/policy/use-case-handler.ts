import type { Principal } from '../principal';
import { useCasePolicyOf } from './decorators';
import type { OperationPolicy } from './operation-policy';

/** What every command carries: who asks. `@UseCase` finds the caller here and checks the policy. */
export interface Command {
  readonly actor: Principal;
}

/**
 * One operation of a service, whichever transport asks for it: the class of a
 * `<feature>/use-cases/<verb-noun>/` folder, whose `execute(command)` is marked `@UseCase(policy)`.
 * REST controllers, gRPC controllers and event consumers build the command and map the result;
 * the use case does the work and throws domain errors.
 *
 * A use case without a policy does not start: constructing one whose `execute` names none fails,
 * naming the class, so the module that provides it fails to initialise.
 */
export abstract class UseCaseHandler<C extends Command, Result> {
  constructor() {
    const policy = useCasePolicyOf((new.target.prototype as { execute?: unknown }).execute);
    if (!policy) {
      throw new Error(
        `${new.target.name} names no policy: mark its execute(command) with @UseCase(policy) from the service's policies`,
      );
    }
  }

  /** The operation's policy, as `@UseCase` enforces it on every call. */
  get policy(): OperationPolicy {
    return useCasePolicyOf((Object.getPrototypeOf(this) as { execute: unknown }).execute)!;
  }

  abstract execute(command: C): Promise<Result>;
}
