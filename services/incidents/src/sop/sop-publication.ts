import { Injectable } from '@nestjs/common';
import { AuditLog, RegionScope, type Principal } from '@safecity/security';
import { InvalidError } from '@safecity/service-kit';
import { RegionTransaction } from '../access/region-transaction';
import { sopCategory, toSop, type Sop } from './sop';
import type { SopDto } from './sop.dto';
import { SopsRepository } from './sops.repository';

/** A new version of a checklist, national (`regionCode` null) or a region's own, audited. */
@Injectable()
export class SopPublication {
  constructor(
    private readonly transaction: RegionTransaction,
    private readonly sops: SopsRepository,
    private readonly audit: AuditLog,
  ) {}

  async publish(
    categoryName: string,
    regionCode: string | null,
    dto: SopDto,
    editor: Principal,
  ): Promise<Sop> {
    const category = sopCategory(categoryName);
    const ids = dto.steps.map((s) => s.id);
    if (new Set(ids).size !== ids.length)
      throw new InvalidError({ field: 'steps', reason: 'step ids must be unique' });
    // Checklists have no row-level security: the national one is every region's.
    return this.transaction.run(RegionScope.allRegions(), async (m) => {
      const row = await this.sops.publish(m, category, regionCode, dto.steps, editor.subject);
      await this.audit.record(m, {
        actor: editor,
        action: 'update',
        objectType: 'sop',
        objectId: row.id,
        regionCode,
        details: {
          category: categoryName,
          scope: regionCode === null ? 'national' : 'regional',
          version: row.version,
          steps: ids,
        },
      });
      return toSop(row);
    });
  }
}
