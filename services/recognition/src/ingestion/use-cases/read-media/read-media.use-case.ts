import { Injectable } from '@nestjs/common';
import { UseCase, UseCaseHandler } from '@safecity/security';
import { NotFoundError } from '@safecity/service-kit';
import { RECOGNITION_POLICIES as P } from '../../../recognition.policies';
import { MediaStore, type StoredPicture } from '../../media/media-store';
import type { ReadMedia } from './read-media.command';

/**
 * A picture from the local media store, in the caller's regions; a face picture (the evidence of
 * a face match) only for those who may see face matches, answered to others as a missing one.
 * Every picture handed out is audited.
 */
@Injectable()
export class ReadMediaUseCase extends UseCaseHandler<ReadMedia, StoredPicture> {
  constructor(private readonly media: MediaStore) {
    super();
  }

  @UseCase(P.readMedia)
  async execute({ actor, id, purpose }: ReadMedia): Promise<StoredPicture> {
    const picture = await this.media.read(id, actor, purpose);
    if (!picture) throw new NotFoundError(`picture ${id} not found`);
    return picture;
  }
}
