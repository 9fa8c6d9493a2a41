import { RetentionJob } from '@safecity/security';

/** A retention job that runs only when asked (`runOnce`), never on a timer of its own. */
export class OnDemandRetentionJob extends RetentionJob {
  override onApplicationBootstrap(): void {}
}
