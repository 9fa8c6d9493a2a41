import { Injectable } from '@nestjs/common';
import type { recognition } from '@safecity/contracts';
import { RegionScope, UseCase, UseCaseHandler } from '@safecity/security';
import { NotFoundError } from '@safecity/service-kit';
import { RECOGNITION_POLICIES as P } from '../../../recognition.policies';
import { DetectionsRepository } from '../../pipeline/detections.repository';
import type { GetDetection } from './get-detection.command';

/** A detection while it is kept (unmatched ones are short-lived); another region's is not found. */
@Injectable()
export class GetDetectionUseCase extends UseCaseHandler<GetDetection, recognition.Detection> {
  constructor(private readonly detections: DetectionsRepository) {
    super();
  }

  @UseCase(P.getDetection)
  async execute({ actor, id }: GetDetection): Promise<recognition.Detection> {
    const detection = await this.detections.find(id, RegionScope.of(actor));
    if (!detection) throw new NotFoundError(`detection ${id} not found`);
    return detection;
  }
}
