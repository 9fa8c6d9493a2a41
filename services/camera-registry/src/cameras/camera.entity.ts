import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

export const CAMERA_CAPABILITIES = ['plates', 'faces', 'behaviour', 'ptz'] as const;
export type CameraCapabilityName = (typeof CAMERA_CAPABILITIES)[number];
export const CAMERA_LIFECYCLES = ['planned', 'active', 'maintenance', 'decommissioned'] as const;
export type CameraLifecycleName = (typeof CAMERA_LIFECYCLES)[number];
export const MOUNT_TYPES = ['pole', 'wall', 'ceiling', 'vehicle', 'other'] as const;
export type MountTypeName = (typeof MOUNT_TYPES)[number];
export const CAMERA_STATUSES = ['unknown', 'online', 'offline'] as const;
export type CameraStatusName = (typeof CAMERA_STATUSES)[number];

export interface PrivacyMaskValue {
  name: string;
  polygon: { x: number; y: number }[];
}

@Entity({ name: 'cameras' })
export class CameraEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ name: 'region_code', type: 'text' })
  regionCode!: string;

  @Column({ name: 'district_code', type: 'text', nullable: true })
  districtCode!: string | null;

  @Column({ name: 'video_system_id', type: 'uuid' })
  videoSystemId!: string;

  @Column({ name: 'external_id', type: 'text' })
  externalId!: string;

  @Column({ type: 'text' })
  name!: string;

  @Column({ type: 'double precision' })
  lat!: number;

  @Column({ type: 'double precision' })
  lon!: number;

  @Column({ type: 'text', nullable: true })
  address!: string | null;

  @Column({ name: 'direction_deg', type: 'double precision', nullable: true })
  directionDeg!: number | null;

  @Column({ name: 'field_of_view_deg', type: 'double precision', nullable: true })
  fieldOfViewDeg!: number | null;

  @Column({ name: 'mount_type', type: 'text', nullable: true })
  mountType!: MountTypeName | null;

  @Column({ type: 'text', array: true, default: () => "'{}'" })
  capabilities!: CameraCapabilityName[];

  @Column({ name: 'privacy_masks', type: 'jsonb', default: () => "'[]'" })
  privacyMasks!: PrivacyMaskValue[];

  @Column({ type: 'text', array: true, default: () => "'{}'" })
  tags!: string[];

  @Column({ type: 'text' })
  lifecycle!: CameraLifecycleName;

  @Column({ type: 'text', default: 'unknown' })
  status!: CameraStatusName;

  /** Incremented on every change so consumers of the compacted topic can drop stale copies. */
  @Column({ type: 'bigint', transformer: { to: (v: number) => v, from: (v: string) => Number(v) } })
  version!: number;

  @Column({ name: 'created_at', type: 'timestamptz', default: () => 'now()' })
  createdAt!: Date;

  @Column({ name: 'updated_at', type: 'timestamptz', default: () => 'now()' })
  updatedAt!: Date;
}
