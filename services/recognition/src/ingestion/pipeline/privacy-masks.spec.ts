import { insidePrivacyMask, pointInPolygon } from './privacy-masks';

describe('privacy masks', () => {
  const window = {
    name: 'apartment window',
    polygon: [
      { x: 0.1, y: 0.1 },
      { x: 0.4, y: 0.1 },
      { x: 0.4, y: 0.4 },
      { x: 0.1, y: 0.4 },
    ],
  };

  it('places points inside and outside a polygon', () => {
    expect(pointInPolygon(0.2, 0.2, window.polygon)).toBe(true);
    expect(pointInPolygon(0.5, 0.2, window.polygon)).toBe(false);
    const triangle = [
      { x: 0, y: 0 },
      { x: 1, y: 0 },
      { x: 0, y: 1 },
    ];
    expect(pointInPolygon(0.2, 0.2, triangle)).toBe(true);
    expect(pointInPolygon(0.8, 0.8, triangle)).toBe(false);
  });

  it('masks an observation whose box centre is inside a mask', () => {
    expect(insidePrivacyMask({ x: 0.15, y: 0.15, width: 0.1, height: 0.1 }, [window])).toBe(true);
    expect(insidePrivacyMask({ x: 0.6, y: 0.6, width: 0.1, height: 0.1 }, [window])).toBe(false);
  });

  it('does not mask without a box, without masks, or with degenerate masks', () => {
    expect(insidePrivacyMask(null, [window])).toBe(false);
    expect(insidePrivacyMask({ x: 0.15, y: 0.15, width: 0.1, height: 0.1 }, [])).toBe(false);
    expect(
      insidePrivacyMask({ x: 0.15, y: 0.15, width: 0.1, height: 0.1 }, [
        { name: 'line', polygon: window.polygon.slice(0, 2) },
      ]),
    ).toBe(false);
  });
});
