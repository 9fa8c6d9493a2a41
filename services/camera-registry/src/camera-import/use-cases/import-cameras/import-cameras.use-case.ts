import { Injectable, Logger } from '@nestjs/common';
import { CameraChangeKind } from '@safecity/contracts';
import { Outbox } from '@safecity/messaging';
import { AuditLog, RegionAccess, RegionScope, UseCase, UseCaseHandler } from '@safecity/security';
import { createHash } from 'node:crypto';
import { CAMERA_REGISTRY_POLICIES as P } from '../../../camera-registry.policies';
import type { CameraEntity } from '../../../cameras/camera.entity';
import { cameraChangedEvent } from '../../../cameras/camera-events';
import { CameraLookupCache } from '../../../cameras/camera-lookup.cache';
import { RegionsRepository } from '../../../regions/regions.repository';
import { VideoSystemsRepository } from '../../../video-systems/video-systems.repository';
import {
  CameraImportRepository,
  UPSERT_BATCH,
  type ImportedCameraValues,
} from '../../camera-import.repository';
import { CameraImportRejectedException, type ImportProblem } from '../../import-problems';
import { csvRows, jsonRows } from '../../import-rows';
import { validateRows, type ValidRow } from '../../validate-rows';
import type { ImportCameras, ImportSummary } from './import-cameras.command';

/** Mirrors what `PATCH /cameras/:id` writes, but only for the properties the row sets. */
function valuesFor(row: ValidRow, existing: CameraEntity | undefined): ImportedCameraValues {
  const dto = row.camera;
  const sets = (property: string) => !existing || row.present.has(property);
  return {
    externalId: dto.externalId,
    districtCode: sets('districtCode') ? (dto.districtCode ?? null) : existing!.districtCode,
    name: dto.name,
    lat: dto.location.lat,
    lon: dto.location.lon,
    address: sets('address') ? (dto.address ?? null) : existing!.address,
    directionDeg: sets('directionDeg') ? (dto.directionDeg ?? null) : existing!.directionDeg,
    fieldOfViewDeg: sets('fieldOfViewDeg') ? (dto.fieldOfViewDeg ?? null) : existing!.fieldOfViewDeg,
    mountType: sets('mountType') ? (dto.mountType ?? null) : existing!.mountType,
    capabilities: sets('capabilities') ? [...new Set(dto.capabilities ?? [])] : existing!.capabilities,
    privacyMasks: sets('privacyMasks')
      ? (dto.privacyMasks ?? []).map((m) => ({
          name: m.name,
          polygon: m.polygon.map(({ x, y }) => ({ x, y })),
        }))
      : existing!.privacyMasks,
    tags: sets('tags') ? [...new Set(dto.tags ?? [])] : existing!.tags,
    lifecycle: dto.lifecycle ?? existing?.lifecycle ?? 'active',
  };
}

/**
 * Bulk import of a video system's camera inventory: all rows or none. Every row is validated
 * first; then, in one transaction, cameras are upserted by (video system, external id) and a
 * `safecity.cameras.v1` event is queued for each camera created or changed, so importing the same
 * file again writes nothing and publishes nothing.
 */
@Injectable()
export class ImportCamerasUseCase extends UseCaseHandler<ImportCameras, ImportSummary> {
  private readonly logger = new Logger(ImportCamerasUseCase.name);

  constructor(
    private readonly videoSystems: VideoSystemsRepository,
    private readonly repository: CameraImportRepository,
    private readonly outbox: Outbox,
    private readonly regions: RegionsRepository,
    private readonly lookups: CameraLookupCache,
    private readonly access: RegionAccess,
    private readonly audit: AuditLog,
  ) {
    super();
  }

  @UseCase(P.importCameras)
  async execute({ actor, videoSystemId, file }: ImportCameras): Promise<ImportSummary> {
    const started = performance.now();
    const scope = RegionScope.of(actor);
    // A video system of another region is answered exactly like one that does not exist.
    const system = await this.access.run(scope, (m) => this.videoSystems.get(m, scope, videoSystemId));
    const source = file.format === 'csv' ? csvRows(file.bytes) : jsonRows(file.bytes);
    const districts = await this.regions.listDistricts(system.regionCode);
    const { valid, problems } = validateRows(source, {
      regionCode: system.regionCode,
      districtCodes: new Set(districts.map((d) => d.code)),
    });

    const lineOf = new Map<string, number>();
    for (const row of source.rows) {
      const id = row.input.externalId;
      if (typeof id === 'string' && !lineOf.has(id)) lineOf.set(id, row.line);
    }

    const written: CameraEntity[] = [];
    const summary = await this.access.run(scope, async (manager) => {
      await this.repository.lockVideoSystemImports(manager, system.id);
      const existing = await this.repository.lockExisting(manager, system, [...lineOf.keys()]);
      const decommissioned: ImportProblem[] = [];
      for (const [externalId, camera] of existing) {
        if (camera.lifecycle !== 'decommissioned') continue;
        decommissioned.push({
          line: lineOf.get(externalId)!,
          field: source.naming.field('externalId'),
          reason: `camera ${externalId} is decommissioned and cannot be imported again; give the new device a new external id`,
        });
      }
      if (problems.length + decommissioned.length > 0) {
        throw new CameraImportRejectedException([...problems, ...decommissioned]);
      }

      let created = 0;
      let updated = 0;
      for (let i = 0; i < valid.length; i += UPSERT_BATCH) {
        const batch = valid
          .slice(i, i + UPSERT_BATCH)
          .map((row) => valuesFor(row, existing.get(row.camera.externalId)));
        const changed = await this.repository.upsert(manager, system, batch);
        if (changed.length === 0) continue;
        await this.outbox.add(
          manager,
          changed.map(({ camera, created: isNew }) => {
            written.push(camera);
            if (isNew) created++;
            else updated++;
            return cameraChangedEvent(
              camera,
              isNew
                ? CameraChangeKind.CAMERA_CHANGE_KIND_REGISTERED
                : CameraChangeKind.CAMERA_CHANGE_KIND_UPDATED,
            );
          }),
        );
      }
      const result = { created, updated, unchanged: valid.length - created - updated, total: valid.length };
      if (created + updated > 0) {
        // One record for the import rather than one per camera: the chain takes a lock and three
        // statements per record. The file's hash ties the record to what was uploaded.
        await this.audit.record(manager, {
          actor,
          action: updated > 0 ? 'update' : 'create',
          objectType: 'camera-import',
          objectId: system.id,
          regionCode: system.regionCode,
          details: {
            ...result,
            format: file.format,
            bytes: file.bytes.length,
            sha256: createHash('sha256').update(file.bytes).digest('hex'),
          },
        });
      }
      return result;
    });
    // After the commit: a lookup answered in between would otherwise stay cached with the old row.
    for (const camera of written) this.lookups.invalidate(camera.videoSystemId, camera.externalId);
    this.logger.log({
      msg: 'camera import',
      videoSystemId: system.id,
      format: file.format,
      bytes: file.bytes.length,
      ...summary,
      ms: Math.round(performance.now() - started),
    });
    return summary;
  }
}
