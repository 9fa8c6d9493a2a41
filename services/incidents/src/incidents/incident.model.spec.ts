import { incidents as contract } from '@safecity/contracts';
import { streamView, type IncidentRecord } from './incident.model';

const at = (iso: string) => new Date(iso);

function record(overrides: Partial<IncidentRecord> = {}): IncidentRecord {
  return {
    id: '00000000-0000-4000-8000-000000000001',
    number: 'ALA-2026-000001',
    regionCode: 'ALA',
    districtCode: 'ALA-ALMALY',
    category: contract.IncidentCategory.INCIDENT_CATEGORY_WANTED_VEHICLE,
    priority: contract.IncidentPriority.INCIDENT_PRIORITY_HIGH,
    state: contract.IncidentState.INCIDENT_STATE_NEW,
    sourceKind: contract.IncidentSourceKind.INCIDENT_SOURCE_KIND_PLATE_MATCH,
    title: 'Hotlisted plate 777KZA02',
    description: '',
    lat: 43.25,
    lon: 76.9,
    address: '',
    cameraId: null,
    correlationKey: null,
    lastSeenAt: at('2026-12-07T08:00:00Z'),
    confidence: 0.9,
    watchlistPriority: null,
    placeTags: [],
    requiredConfirmations: 1,
    visualCheckRequired: true,
    resolution: 0,
    operationsCenterId: null,
    unitId: null,
    assigneeId: null,
    assignedAt: null,
    verifyDueAt: at('2026-12-07T08:02:00Z'),
    dispatchDueAt: at('2026-12-07T08:05:00Z'),
    breachedStages: [],
    sopId: null,
    sopVersion: null,
    occurredAt: at('2026-12-07T08:00:00Z'),
    createdAt: at('2026-12-07T08:00:01Z'),
    updatedAt: at('2026-12-07T08:00:01Z'),
    version: 1,
    openedBy: 'recognition',
    ...overrides,
  };
}

describe('streamView', () => {
  it('carries what a queue counts down and filters by: creation, SLA deadlines, district', () => {
    expect(streamView(record(), 1)).toMatchObject({
      createdAt: '2026-12-07T08:00:01.000Z',
      verifyDueAt: '2026-12-07T08:02:00.000Z',
      dispatchDueAt: '2026-12-07T08:05:00.000Z',
      districtCode: 'ALA-ALMALY',
    });
  });

  it('leaves out deadlines and district an incident does not have', () => {
    const view = streamView(record({ verifyDueAt: null, dispatchDueAt: null, districtCode: null }), 1);
    expect(JSON.parse(JSON.stringify(view))).not.toHaveProperty('verifyDueAt');
    expect(JSON.parse(JSON.stringify(view))).not.toHaveProperty('districtCode');
  });
});
