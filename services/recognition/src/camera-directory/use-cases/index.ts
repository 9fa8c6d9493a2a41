import { GetDirectoryCameraUseCase } from './get-directory-camera/get-directory-camera.use-case';
import { RecordCameraChangeUseCase } from './record-camera-change/record-camera-change.use-case';
import { ResolveDirectoryCameraUseCase } from './resolve-directory-camera/resolve-directory-camera.use-case';

export { GetDirectoryCameraUseCase, RecordCameraChangeUseCase, ResolveDirectoryCameraUseCase };

/** Every operation on recognition's camera directory. */
export const CAMERA_DIRECTORY_USE_CASES = [
  GetDirectoryCameraUseCase,
  ResolveDirectoryCameraUseCase,
  RecordCameraChangeUseCase,
];
