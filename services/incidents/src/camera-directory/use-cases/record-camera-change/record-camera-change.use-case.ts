import { Injectable } from '@nestjs/common';
import { Inbox } from '@safecity/messaging';
import { RegionScope, UseCase, UseCaseHandler } from '@safecity/security';
import { InvalidError } from '@safecity/service-kit';
import { RegionTransaction } from '../../../access/region-transaction';
import { INCIDENTS_POLICIES as P } from '../../../incidents.policies';
import { CameraDirectoryRepository } from '../../camera-directory.repository';
import type { RecordCameraChange } from './record-camera-change.command';

/**
 * Keeps the local copy of a camera (place and tags, which correlation reads) as camera-registry
 * announced it, once per event.
 */
@Injectable()
export class RecordCameraChangeUseCase extends UseCaseHandler<RecordCameraChange, void> {
  constructor(
    private readonly transaction: RegionTransaction,
    private readonly inbox: Inbox,
    private readonly directory: CameraDirectoryRepository,
  ) {
    super();
  }

  @UseCase(P.recordCameraChange)
  async execute({ event }: RecordCameraChange): Promise<void> {
    const camera = event.data.camera;
    if (!camera?.id || !camera.regionCode)
      throw new InvalidError({ field: 'camera', reason: 'CameraChanged without a camera id and region' });
    // The inbox joins the unit of work: the event is recorded with its effect or not at all.
    await this.transaction.run(RegionScope.allRegions(), () =>
      this.inbox.once(event, (m) => this.directory.upsert(m, camera)),
    );
  }
}
