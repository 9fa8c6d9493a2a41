import { OmitType } from '@nestjs/swagger';
import { RegisterCameraDto } from '../cameras/dto/camera.dto';

/**
 * One camera of an import: a registration without the video system, which the import's path names.
 * Derived from the registration DTO, so an imported camera obeys exactly the rules of one
 * registered through `POST /cameras`.
 */
export class ImportCameraDto extends OmitType(RegisterCameraDto, ['videoSystemId'] as const) {}

/** Top-level properties of `ImportCameraDto` an import may set. */
export type ImportField = keyof ImportCameraDto;
