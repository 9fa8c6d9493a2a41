import {
  Controller,
  HttpCode,
  Param,
  ParseUUIDPipe,
  Post,
  UnsupportedMediaTypeException,
} from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiConsumes, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, Operation, type Principal } from '@safecity/security';
import { CAMERA_REGISTRY_POLICIES as P } from '../camera-registry.policies';
import { ImportCamerasUseCase } from './use-cases/import-cameras/import-cameras.use-case';
import type { ImportFile, ImportSummary } from './use-cases/import-cameras/import-cameras.command';
import { ImportBody, MAX_IMPORT_BYTES, type ImportUpload } from './import-body';
import { CSV_COLUMNS, MAX_IMPORT_ROWS } from './import-rows';

function unsupported(message: string): never {
  throw new UnsupportedMediaTypeException({ statusCode: 415, error: 'Unsupported Media Type', message });
}

export function importFormat(
  upload: Pick<ImportUpload, 'contentType' | 'contentEncoding'>,
): ImportFile['format'] {
  const encoding = upload.contentEncoding?.trim().toLowerCase();
  if (encoding && encoding !== 'identity') unsupported(`content-encoding ${encoding} is not supported`);
  const [type, ...parameters] = (upload.contentType ?? '').split(';').map((s) => s.trim().toLowerCase());
  const charset = parameters
    .find((p) => p.startsWith('charset='))
    ?.slice('charset='.length)
    .replace(/"/g, '');
  if (charset && charset !== 'utf-8' && charset !== 'utf8') {
    unsupported(`charset ${charset} is not supported; send UTF-8`);
  }
  if (type === 'text/csv') return 'csv';
  if (type === 'application/json') return 'json';
  return unsupported('send the inventory as text/csv or application/json');
}

@ApiTags('cameras')
@ApiBearerAuth()
@Controller('video-systems')
export class CameraImportController {
  constructor(private readonly importCameras: ImportCamerasUseCase) {}

  @Post(':id/cameras/import')
  @HttpCode(200)
  @ApiOperation({
    summary: "Import a video system's camera inventory",
    description:
      `All or nothing: every row is validated with the rules of POST /cameras, and either every ` +
      `camera is upserted by external id in one transaction or none is and the answer lists every ` +
      `problem. CSV: a header row naming columns from ${CSV_COLUMNS.join(', ')} in any order ` +
      `(external_id, name, lat and lon required; capabilities and tags separated by ";"). JSON: an ` +
      `array of cameras with the properties of POST /cameras except videoSystemId. Properties a file ` +
      `does not set keep their current values. At most ${MAX_IMPORT_ROWS} cameras and ` +
      `${MAX_IMPORT_BYTES / 1024 / 1024} MB.`,
  })
  @ApiConsumes('text/csv', 'application/json')
  @ApiBody({
    schema: {
      type: 'string',
      example: 'external_id,name,lat,lon,capabilities\nch-1,Abay / Dostyk,43.2383,76.9454,plates;ptz',
    },
  })
  @ApiResponse({ status: 200, description: '{ created, updated, unchanged, total }' })
  @ApiResponse({ status: 404, description: "unknown video system, or one outside the caller's regions" })
  @ApiResponse({ status: 413, description: 'body larger than the limit' })
  @ApiResponse({ status: 415, description: 'neither text/csv nor application/json, or not UTF-8' })
  @ApiResponse({ status: 422, description: 'problems: [{ line, field, reason }]; nothing imported' })
  @Operation(P.importCameras)
  async import(
    @Param('id', ParseUUIDPipe) id: string,
    @ImportBody() upload: ImportUpload,
    @CurrentPrincipal() actor: Principal,
  ): Promise<ImportSummary> {
    return this.importCameras.execute({
      actor,
      videoSystemId: id,
      file: { format: importFormat(upload), bytes: upload.bytes },
    });
  }
}
