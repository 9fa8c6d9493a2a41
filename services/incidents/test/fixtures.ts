import { randomUUID } from 'node:crypto';
import { cameras, recognition } from '@safecity/contracts';

export function cameraChanged(id: string, over: Partial<cameras.Camera> = {}): cameras.CameraChanged {
  return cameras.CameraChanged.fromPartial({
    kind: cameras.CameraChangeKind.CAMERA_CHANGE_KIND_REGISTERED,
    camera: {
      id,
      regionCode: 'ALA',
      districtCode: 'ALA-ALMALY',
      videoSystemId: randomUUID(),
      externalId: id.slice(0, 8),
      name: `Camera ${id.slice(0, 4)}`,
      address: 'Abay ave 10',
      location: { lat: 43.25, lon: 76.92 },
      tags: [],
      version: 1,
      ...over,
    },
  });
}

export function plateMatched(over: {
  id?: string;
  plate?: string;
  cameraId?: string;
  observedAt?: Date;
  regionCode?: string;
  hotlistId?: string;
  location?: { lat: number; lon: number };
  reason?: recognition.HotlistReason;
  /** Priority of the hotlist entry, 1 low … 4 critical; 0 when recognition gives none. */
  priority?: number;
  matchKind?: recognition.PlateMatchKind;
  /** The plate as listed on the hotlist, when the camera read it otherwise. */
  listedPlate?: string;
  /** The camera analytics' reading of the vehicle. */
  vehicle?: { make: string; color: string };
}): recognition.PlateMatched {
  return recognition.PlateMatched.fromPartial({
    match: {
      id: over.id ?? randomUUID(),
      detectionId: randomUUID(),
      cameraId: over.cameraId ?? randomUUID(),
      regionCode: over.regionCode ?? 'ALA',
      location: over.location ?? { lat: 43.25, lon: 76.92 },
      observedAt: over.observedAt ?? new Date(),
      matchedAt: new Date(),
      plate: {
        text: over.plate ?? '123ABC02',
        country: 'KZ',
        confidence: 0.95,
        vehicle: over.vehicle ?? { make: 'Toyota', color: 'white' },
      },
      candidates: [
        {
          hotlistId: over.hotlistId ?? 'hotlist-stolen',
          entryId: 'entry-1',
          listedText: over.listedPlate ?? over.plate ?? '123ABC02',
          reason: over.reason ?? recognition.HotlistReason.HOTLIST_REASON_STOLEN_VEHICLE,
          score: 0.97,
          legalBasisRef: 'case 2025-17',
          priority: over.priority ?? 0,
          matchKind: over.matchKind ?? recognition.PlateMatchKind.PLATE_MATCH_KIND_EXACT,
        },
      ],
      status: recognition.MatchStatus.MATCH_STATUS_PENDING_VERIFICATION,
      media: [{ kind: 1, uri: 'https://vms.example/snap/1.jpg', contentType: 'image/jpeg' }],
    },
  });
}

export function faceMatched(over: {
  id?: string;
  entryId?: string;
  cameraId?: string;
}): recognition.FaceMatched {
  return recognition.FaceMatched.fromPartial({
    match: {
      id: over.id ?? randomUUID(),
      detectionId: randomUUID(),
      cameraId: over.cameraId ?? randomUUID(),
      regionCode: 'ALA',
      location: { lat: 43.25, lon: 76.92 },
      observedAt: new Date(),
      matchedAt: new Date(),
      candidates: [
        {
          watchlistId: 'watchlist-wanted',
          entryId: over.entryId ?? randomUUID(),
          subjectRef: 'subject-7',
          category: recognition.WatchlistCategory.WATCHLIST_CATEGORY_WANTED,
          score: 0.91,
          rank: 1,
          legalBasisRef: 'order 12',
        },
      ],
      requiredConfirmations: 2,
    },
  });
}

export function behaviourAlert(over: {
  type?: recognition.BehaviourType;
  location?: { lat: number; lon: number };
  observedAt?: Date;
  regionCode?: string;
}): recognition.BehaviourAlertRaised {
  return recognition.BehaviourAlertRaised.fromPartial({
    alert: {
      id: randomUUID(),
      detectionId: randomUUID(),
      type: over.type ?? recognition.BehaviourType.BEHAVIOUR_TYPE_FIGHT,
      severity: recognition.AlertSeverity.ALERT_SEVERITY_HIGH,
      confidence: 0.88,
      cameraId: randomUUID(),
      regionCode: over.regionCode ?? 'ALA',
      location: over.location ?? { lat: 43.25, lon: 76.92 },
      observedAt: over.observedAt ?? new Date(),
      raisedAt: new Date(),
      ruleId: 'rule-fight',
      ruleName: 'Fight near the market',
    },
  });
}
