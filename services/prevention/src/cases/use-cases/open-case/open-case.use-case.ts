import { Injectable } from '@nestjs/common';
import { UseCase, UseCaseHandler } from '@safecity/security';
import { PREVENTION_POLICIES as P } from '../../../prevention.policies';
import { CaseOpening } from '../../case-opening';
import type { CaseView } from '../../case-view';
import type { OpenCase } from './open-case.command';

/**
 * Opens a case about a new subject, or a known one. The answer shows a known person's or family's
 * data only with a stated purpose, which the read is audited with.
 */
@Injectable()
export class OpenCaseUseCase extends UseCaseHandler<OpenCase, CaseView> {
  constructor(private readonly opening: CaseOpening) {
    super();
  }

  @UseCase(P.openCase)
  async execute({ actor, case: fields, purpose }: OpenCase): Promise<CaseView> {
    return this.opening.open(fields, actor, undefined, purpose);
  }
}
