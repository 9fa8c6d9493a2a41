import { GetMediaSourceUseCase } from './get-media-source/get-media-source.use-case';
import { RemoveMediaSourceUseCase } from './remove-media-source/remove-media-source.use-case';
import { SetMediaSourceUseCase } from './set-media-source/set-media-source.use-case';

export { GetMediaSourceUseCase, RemoveMediaSourceUseCase, SetMediaSourceUseCase };

/** Every operation on cameras' media sources. */
export const CAMERA_MEDIA_USE_CASES = [
  SetMediaSourceUseCase,
  GetMediaSourceUseCase,
  RemoveMediaSourceUseCase,
];
