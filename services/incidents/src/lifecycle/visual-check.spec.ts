import { plateHitEvidence, reviewVisualCheck, type PlateHitEvidence } from './visual-check';

const whiteToyota: PlateHitEvidence = {
  listedPlates: ['700KZZ02'],
  vehicles: [{ make: 'Toyota', colour: 'white' }],
};

describe('reviewVisualCheck', () => {
  it('refuses a visual check of another plate, naming visualCheck.plate and the listed plate', () => {
    const review = reviewVisualCheck(
      { plate: '999XYZ77', make: 'Lada', colour: 'red' },
      whiteToyota,
      undefined,
    );
    expect(review).toEqual({
      ok: false,
      field: 'visualCheck.plate',
      reason: expect.stringMatching(/"999XYZ77", is not the hotlisted plate 700KZZ02.*dismiss/),
    });
    // A reason does not make another plate the listed one.
    expect(
      reviewVisualCheck({ plate: '700KZZ03', make: 'Toyota', colour: 'white' }, whiteToyota, 'sure'),
    ).toMatchObject({ ok: false, field: 'visualCheck.plate' });
  });

  it('refuses what is not a plate', () => {
    expect(
      reviewVisualCheck({ plate: '??', make: 'Toyota', colour: 'white' }, whiteToyota, undefined),
    ).toMatchObject({
      ok: false,
      field: 'visualCheck.plate',
      reason: expect.stringMatching(/is not a plate/),
    });
  });

  it('takes the listed plate in any spelling the matcher folds together', () => {
    for (const plate of ['700KZZ02', '700 kzz 02', '7OO-KZ2-O2']) {
      expect(reviewVisualCheck({ plate, make: 'toyota', colour: 'White ' }, whiteToyota, undefined)).toEqual({
        ok: true,
        vehicleMismatch: [],
      });
    }
  });

  it('needs a reason for a vehicle other than the camera read, and names what differs', () => {
    const check = { plate: '700KZZ02', make: 'Lada', colour: 'white' };
    expect(reviewVisualCheck(check, whiteToyota, '  ')).toEqual({
      ok: false,
      field: 'reason',
      reason: expect.stringMatching(/make "Lada".*make Toyota/),
    });
    expect(reviewVisualCheck(check, whiteToyota, 'plates moved to another car')).toEqual({
      ok: true,
      vehicleMismatch: ['make'],
    });
  });

  it('compares make and colour only where the camera gave a reading, with grey and gray alike', () => {
    const unread: PlateHitEvidence = { listedPlates: ['700KZZ02'], vehicles: [{ make: '', colour: 'gray' }] };
    expect(reviewVisualCheck({ plate: '700KZZ02', make: 'Lada', colour: 'Grey' }, unread, undefined)).toEqual(
      {
        ok: true,
        vehicleMismatch: [],
      },
    );
  });
});

describe('plateHitEvidence', () => {
  it('takes the listed plates and vehicle readings of the sources, the read plate where none is listed', () => {
    expect(
      plateHitEvidence([
        {
          details: {
            plate: '700KZZ03',
            listedPlate: '700KZZ02',
            vehicle: { make: 'Toyota', colour: 'white' },
          },
        },
        { details: { plate: '700KZZ02', listedPlate: '700KZZ02', vehicle: null } },
        { details: { plate: '555AAA05' } },
      ]),
    ).toEqual({
      listedPlates: ['700KZZ02', '555AAA05'],
      vehicles: [{ make: 'Toyota', colour: 'white' }],
    });
  });
});
