import { cameras, enumNames } from '@safecity/contracts';
import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

// The REST names of the contract's enums: one spelling per concept on every surface.
export const VideoSystemVendorNames = enumNames(cameras.VideoSystemVendor, 'VIDEO_SYSTEM_VENDOR_');
export const IngestionMethodNames = enumNames(cameras.IngestionMethod, 'INGESTION_METHOD_');
export const VideoSystemStatusNames = enumNames(cameras.VideoSystemStatus, 'VIDEO_SYSTEM_STATUS_');
export const VIDEO_SYSTEM_VENDORS = VideoSystemVendorNames.names;
export type VideoSystemVendorName = (typeof VIDEO_SYSTEM_VENDORS)[number];
export const INGESTION_METHODS = IngestionMethodNames.names;
export type IngestionMethodName = (typeof INGESTION_METHODS)[number];
export const VIDEO_SYSTEM_STATUSES = VideoSystemStatusNames.names;
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
