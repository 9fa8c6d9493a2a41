import type { MigrationInterface, QueryRunner } from 'typeorm';
import { disableRegionRowLevelSecurity, enableRegionRowLevelSecurity } from '@safecity/security';

/** Reports from citizen channels, each with the acknowledgement id the citizen follows it by. */
export class CitizenReports1764000200000 implements MigrationInterface {
  name = 'CitizenReports1764000200000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE incidents.citizen_reports (
        id                 uuid PRIMARY KEY,
        acknowledgement_id text NOT NULL UNIQUE,
        channel            int NOT NULL,
        channel_report_id  text NOT NULL,
        category           int NOT NULL,
        description        text NOT NULL,
        lat                double precision NOT NULL,
        lon                double precision NOT NULL,
        address            text NOT NULL DEFAULT '',
        region_code        text NOT NULL,
        attachments        jsonb NOT NULL DEFAULT '[]',
        reporter_ref       text,
        anonymous          boolean NOT NULL DEFAULT false,
        consent_to_contact boolean NOT NULL DEFAULT false,
        -- Kept only with the citizen's consent to be contacted.
        contact            text,
        reported_at        timestamptz NOT NULL,
        received_at        timestamptz NOT NULL DEFAULT now(),
        submitted_by       text NOT NULL,
        incident_id        uuid REFERENCES incidents.incidents (id),
        UNIQUE (channel, channel_report_id)
      )`);
    await enableRegionRowLevelSecurity(q, 'incidents', 'citizen_reports');
  }

  async down(q: QueryRunner): Promise<void> {
    await disableRegionRowLevelSecurity(q, 'incidents', 'citizen_reports');
    await q.query('DROP TABLE incidents.citizen_reports');
  }
}
