import { BatchGetCamerasUseCase } from './batch-get-cameras/batch-get-cameras.use-case';
import { DecommissionCameraUseCase } from './decommission-camera/decommission-camera.use-case';
import { GetCameraUseCase } from './get-camera/get-camera.use-case';
import { ListCamerasUseCase } from './list-cameras/list-cameras.use-case';
import { RegisterCameraUseCase } from './register-camera/register-camera.use-case';
import { ResolveExternalCameraUseCase } from './resolve-external-camera/resolve-external-camera.use-case';
import { UpdateCameraUseCase } from './update-camera/update-camera.use-case';

export {
  BatchGetCamerasUseCase,
  DecommissionCameraUseCase,
  GetCameraUseCase,
  ListCamerasUseCase,
  RegisterCameraUseCase,
  ResolveExternalCameraUseCase,
  UpdateCameraUseCase,
};

/** Every operation on cameras. */
export const CAMERA_USE_CASES = [
  RegisterCameraUseCase,
  UpdateCameraUseCase,
  DecommissionCameraUseCase,
  GetCameraUseCase,
  BatchGetCamerasUseCase,
  ResolveExternalCameraUseCase,
  ListCamerasUseCase,
];
