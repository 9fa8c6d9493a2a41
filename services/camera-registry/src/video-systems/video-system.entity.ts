import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

export const VIDEO_SYSTEM_VENDORS = [
  'hikvision',
  'dahua',
  'milestone',
  'onvif-generic',
  'frigate',
  'other',
] as const;
export type VideoSystemVendorName = (typeof VIDEO_SYSTEM_VENDORS)[number];
export const INGESTION_METHODS = [
  'canonical-push',
  'onvif-events',
  'hikvision-isapi',
  'frigate-mqtt',
] as const;
export type IngestionMethodName = (typeof INGESTION_METHODS)[number];
export const VIDEO_SYSTEM_STATUSES = ['active', 'suspended', 'decommissioned'] as const;
export type VideoSystemStatusName = (typeof VIDEO_SYSTEM_STATUSES)[number];

@Entity({ name: 'video_systems' })
export class VideoSystemEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ name: 'region_code', type: 'text' })
  regionCode!: string;

  @Column({ type: 'text' })
  name!: string;

  @Column({ type: 'text' })
  vendor!: VideoSystemVendorName;

  @Column({ type: 'text', nullable: true })
  endpoint!: string | null;

  @Column({ name: 'ingestion_method', type: 'text' })
  ingestionMethod!: IngestionMethodName;

  @Column({ type: 'text', default: 'active' })
  status!: VideoSystemStatusName;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}
