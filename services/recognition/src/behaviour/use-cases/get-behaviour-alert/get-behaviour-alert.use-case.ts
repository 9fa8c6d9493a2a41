import { Injectable } from '@nestjs/common';
import { recognition } from '@safecity/contracts';
import { RegionAccess, RegionScope, UseCase, UseCaseHandler } from '@safecity/security';
import { NotFoundError } from '@safecity/service-kit';
import { RECOGNITION_POLICIES as P } from '../../../recognition.policies';
import { regionsOf } from '../../../watchlists/watchlist-changes';
import type { GetBehaviourAlert } from './get-behaviour-alert.command';

/** One behaviour alert as it was raised; another region's is not found, like a missing one. */
@Injectable()
export class GetBehaviourAlertUseCase extends UseCaseHandler<GetBehaviourAlert, recognition.BehaviourAlert> {
  constructor(private readonly access: RegionAccess) {
    super();
  }

  @UseCase(P.getBehaviourAlert)
  async execute({ actor, id }: GetBehaviourAlert): Promise<recognition.BehaviourAlert> {
    const scope = RegionScope.of(actor);
    const rows: { detail: Buffer }[] = await this.access.run(scope, (m) =>
      m.query(
        `SELECT detail FROM behaviour_alerts WHERE id = $1 AND ($2::text[] IS NULL OR region_code = ANY($2::text[]))`,
        [id, regionsOf(scope)],
      ),
    );
    if (!rows[0]) throw new NotFoundError(`behaviour alert ${id} not found`);
    return recognition.BehaviourAlert.decode(rows[0].detail);
  }
}
