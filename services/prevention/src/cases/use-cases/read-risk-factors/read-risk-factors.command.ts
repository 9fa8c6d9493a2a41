import type { Command } from '@safecity/security';

/** The catalogue of risk factors, the same for every caller. */
export type ReadRiskFactors = Command;
