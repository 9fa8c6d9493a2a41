import { Injectable } from '@nestjs/common';
import { UseCase, UseCaseHandler } from '@safecity/security';
import { RISK_FACTOR_CATALOGUE } from '../../../domain/vocabulary';
import { PREVENTION_POLICIES as P } from '../../../prevention.policies';
import type { ReadRiskFactors } from './read-risk-factors.command';

export type RiskFactorEntry = {
  code: string;
} & (typeof RISK_FACTOR_CATALOGUE)[keyof typeof RISK_FACTOR_CATALOGUE];

/** The risk factors a professional picks from, each with the level it indicates. */
@Injectable()
export class ReadRiskFactorsUseCase extends UseCaseHandler<ReadRiskFactors, RiskFactorEntry[]> {
  @UseCase(P.readRiskFactors)
  async execute(_command: ReadRiskFactors): Promise<RiskFactorEntry[]> {
    return Object.entries(RISK_FACTOR_CATALOGUE).map(([code, factor]) => ({ code, ...factor }));
  }
}
