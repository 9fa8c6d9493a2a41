import { common, recognition } from '@safecity/contracts';

/** The canonical JSON names of the contract's enums (lower-case, dash-separated). */
export const DETECTION_KINDS: Record<string, recognition.DetectionKind> = {
  plate: recognition.DetectionKind.DETECTION_KIND_PLATE,
  face: recognition.DetectionKind.DETECTION_KIND_FACE,
  behaviour: recognition.DetectionKind.DETECTION_KIND_BEHAVIOUR,
};

export const BEHAVIOUR_TYPES: Record<string, recognition.BehaviourType> = {
  fight: recognition.BehaviourType.BEHAVIOUR_TYPE_FIGHT,
  fall: recognition.BehaviourType.BEHAVIOUR_TYPE_FALL,
  loitering: recognition.BehaviourType.BEHAVIOUR_TYPE_LOITERING,
  intrusion: recognition.BehaviourType.BEHAVIOUR_TYPE_INTRUSION,
  crowd: recognition.BehaviourType.BEHAVIOUR_TYPE_CROWD,
  'abandoned-object': recognition.BehaviourType.BEHAVIOUR_TYPE_ABANDONED_OBJECT,
  'line-crossing': recognition.BehaviourType.BEHAVIOUR_TYPE_LINE_CROSSING,
  'fire-smoke': recognition.BehaviourType.BEHAVIOUR_TYPE_FIRE_SMOKE,
  'object-removed': recognition.BehaviourType.BEHAVIOUR_TYPE_OBJECT_REMOVED,
};

export const VEHICLE_TYPES: Record<string, recognition.VehicleType> = {
  car: recognition.VehicleType.VEHICLE_TYPE_CAR,
  truck: recognition.VehicleType.VEHICLE_TYPE_TRUCK,
  bus: recognition.VehicleType.VEHICLE_TYPE_BUS,
  motorcycle: recognition.VehicleType.VEHICLE_TYPE_MOTORCYCLE,
  van: recognition.VehicleType.VEHICLE_TYPE_VAN,
  other: recognition.VehicleType.VEHICLE_TYPE_OTHER,
};

export const DIRECTIONS: Record<string, recognition.TravelDirection> = {
  approaching: recognition.TravelDirection.TRAVEL_DIRECTION_APPROACHING,
  receding: recognition.TravelDirection.TRAVEL_DIRECTION_RECEDING,
};

export const MEDIA_KINDS: Record<string, common.MediaKind> = {
  snapshot: common.MediaKind.MEDIA_KIND_SNAPSHOT,
  'plate-crop': common.MediaKind.MEDIA_KIND_PLATE_CROP,
  'face-crop': common.MediaKind.MEDIA_KIND_FACE_CROP,
  'video-clip': common.MediaKind.MEDIA_KIND_VIDEO_CLIP,
};

/** Plate text as the contract keeps it: upper case, letters and digits only. */
export function normalisePlateText(text: string): string {
  return text
    .normalize('NFKC')
    .toUpperCase()
    .replace(/[^\p{L}\p{N}]/gu, '');
}

/** Upper bounds on what one detection may carry. */
export const LIMITS = {
  idLength: 200,
  textLength: 200,
  mediaPerDetection: 8,
  uriLength: 2048,
  templateDimensions: { min: 64, max: 4096 },
  batchSize: 1000,
} as const;
