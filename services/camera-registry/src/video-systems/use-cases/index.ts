import { CreateVideoSystemUseCase } from './create-video-system/create-video-system.use-case';
import { GetVideoSystemUseCase } from './get-video-system/get-video-system.use-case';
import { IssueApiKeyUseCase } from './issue-api-key/issue-api-key.use-case';
import { ListApiKeysUseCase } from './list-api-keys/list-api-keys.use-case';
import { ListVideoSystemsUseCase } from './list-video-systems/list-video-systems.use-case';
import { RevokeApiKeyUseCase } from './revoke-api-key/revoke-api-key.use-case';
import { RotateApiKeyUseCase } from './rotate-api-key/rotate-api-key.use-case';

export {
  CreateVideoSystemUseCase,
  GetVideoSystemUseCase,
  IssueApiKeyUseCase,
  ListApiKeysUseCase,
  ListVideoSystemsUseCase,
  RevokeApiKeyUseCase,
  RotateApiKeyUseCase,
};

/** Every operation on video systems and their keys. */
export const VIDEO_SYSTEM_USE_CASES = [
  CreateVideoSystemUseCase,
  GetVideoSystemUseCase,
  ListVideoSystemsUseCase,
  IssueApiKeyUseCase,
  ListApiKeysUseCase,
  RotateApiKeyUseCase,
  RevokeApiKeyUseCase,
];
