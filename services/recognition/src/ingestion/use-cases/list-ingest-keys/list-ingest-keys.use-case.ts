import { Injectable } from '@nestjs/common';
import { ApiKeyStore, RegionScope, UseCase, UseCaseHandler } from '@safecity/security';
import { RECOGNITION_POLICIES as P } from '../../../recognition.policies';
import type { ListIngestKeys } from './list-ingest-keys.command';

type ListedKey = Awaited<ReturnType<ApiKeyStore['list']>>[number];

/** A video system's ingest keys in the caller's regions, without their secrets. */
@Injectable()
export class ListIngestKeysUseCase extends UseCaseHandler<ListIngestKeys, ListedKey[]> {
  constructor(private readonly keys: ApiKeyStore) {
    super();
  }

  @UseCase(P.keepIngestKeys)
  async execute({ actor, videoSystemId }: ListIngestKeys): Promise<ListedKey[]> {
    const scope = RegionScope.of(actor);
    return (await this.keys.list(videoSystemId)).filter((k) => scope.includes(k.regionCode));
  }
}
