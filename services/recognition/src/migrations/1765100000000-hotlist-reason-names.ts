import type { MigrationInterface, QueryRunner } from 'typeorm';
import { REGION_SETTING } from '@safecity/security';

/**
 * Hotlist reasons are spelled as the contract names them: `wanted-person`
 * (`HOTLIST_REASON_WANTED_PERSON`), no longer `wanted-person-vehicle`. The REST API still accepts
 * the earlier spelling on input; stored entries take the new one here.
 */
export class HotlistReasonNames1765100000000 implements MigrationInterface {
  name = 'HotlistReasonNames1765100000000';

  async up(q: QueryRunner): Promise<void> {
    // Every region's entries: the table's row-level security applies to its owner too.
    await q.query(`SELECT set_config('${REGION_SETTING}', '*', true)`);
    await q.query(
      `UPDATE recognition.plate_hotlist_entries SET reason = 'wanted-person' WHERE reason = 'wanted-person-vehicle'`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`SELECT set_config('${REGION_SETTING}', '*', true)`);
    await q.query(
      `UPDATE recognition.plate_hotlist_entries SET reason = 'wanted-person-vehicle' WHERE reason = 'wanted-person'`,
    );
  }
}
