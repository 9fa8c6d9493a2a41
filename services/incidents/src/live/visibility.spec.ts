import { incidents as contract } from '@safecity/contracts';
import type { Principal, Role } from '@safecity/security';
import { visibleKindNames, visibleSourceKinds } from './visibility';

const K = contract.IncidentSourceKind;
const as = (...roles: Role[]): Principal => ({ kind: 'user', subject: 'u', roles, regions: ['ALA'] });

describe('who sees which incidents', () => {
  it('shows operators and supervisors everything', () => {
    expect(visibleSourceKinds(as('operator'))).toBeNull();
    expect(visibleSourceKinds(as('supervisor'))).toBeNull();
  });

  it('keeps face matches from analysts', () => {
    const kinds = visibleSourceKinds(as('analyst'))!;
    expect(kinds).not.toContain(K.INCIDENT_SOURCE_KIND_FACE_MATCH);
    expect(kinds).toContain(K.INCIDENT_SOURCE_KIND_PLATE_MATCH);
  });

  it('shows integrators only their cameras’ technical incidents', () => {
    expect(visibleSourceKinds(as('region-admin'))).toEqual([K.INCIDENT_SOURCE_KIND_CAMERA_STATUS]);
    expect([...visibleKindNames(as('region-admin'))!]).toEqual(['camera-status']);
  });

  it('shows other roles nothing', () => {
    expect(visibleSourceKinds(as('social-worker'))).toEqual([]);
  });
});
