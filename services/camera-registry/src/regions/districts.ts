/**
 * Districts of the three cities of republican significance, with envelopes generous enough to
 * hold each district (they overlap at the edges; a camera's district is stated by the integrator
 * and only checked to lie within its district's envelope).
 */
export interface DistrictDefinition {
  code: string;
  regionCode: string;
  name: string;
  /** [minLon, minLat, maxLon, maxLat] */
  bbox: [number, number, number, number];
}

export const DISTRICTS: readonly DistrictDefinition[] = [
  { code: 'ALA-ALATAU', regionCode: 'ALA', name: 'Alatau', bbox: [76.75, 43.2, 76.92, 43.36] },
  { code: 'ALA-ALMALY', regionCode: 'ALA', name: 'Almaly', bbox: [76.88, 43.23, 76.96, 43.28] },
  { code: 'ALA-AUEZOV', regionCode: 'ALA', name: 'Auezov', bbox: [76.8, 43.19, 76.9, 43.25] },
  { code: 'ALA-BOSTANDYK', regionCode: 'ALA', name: 'Bostandyk', bbox: [76.86, 43.15, 76.97, 43.24] },
  { code: 'ALA-ZHETYSU', regionCode: 'ALA', name: 'Zhetysu', bbox: [76.9, 43.26, 77.0, 43.34] },
  { code: 'ALA-MEDEU', regionCode: 'ALA', name: 'Medeu', bbox: [76.93, 43.13, 77.2, 43.3] },
  { code: 'ALA-NAURYZBAY', regionCode: 'ALA', name: 'Nauryzbay', bbox: [76.7, 43.15, 76.86, 43.24] },
  { code: 'ALA-TURKSIB', regionCode: 'ALA', name: 'Turksib', bbox: [76.92, 43.28, 77.1, 43.42] },
  { code: 'AST-ALMATY', regionCode: 'AST', name: 'Almaty district', bbox: [71.42, 51.1, 71.6, 51.2] },
  { code: 'AST-BAIKONUR', regionCode: 'AST', name: 'Baikonur', bbox: [71.38, 51.14, 71.5, 51.22] },
  { code: 'AST-YESIL', regionCode: 'AST', name: 'Yesil', bbox: [71.3, 51.0, 71.5, 51.13] },
  { code: 'AST-SARYARKA', regionCode: 'AST', name: 'Saryarka', bbox: [71.3, 51.13, 71.45, 51.25] },
  { code: 'AST-NURA', regionCode: 'AST', name: 'Nura', bbox: [71.25, 50.98, 71.45, 51.1] },
  { code: 'SHY-ABAY', regionCode: 'SHY', name: 'Abay', bbox: [69.5, 42.3, 69.62, 42.4] },
  { code: 'SHY-ALFARABI', regionCode: 'SHY', name: 'Al-Farabi', bbox: [69.56, 42.3, 69.65, 42.36] },
  { code: 'SHY-ENBEKSHI', regionCode: 'SHY', name: 'Enbekshi', bbox: [69.55, 42.25, 69.7, 42.33] },
  { code: 'SHY-KARATAU', regionCode: 'SHY', name: 'Karatau', bbox: [69.55, 42.33, 69.75, 42.45] },
  { code: 'SHY-TURAN', regionCode: 'SHY', name: 'Turan', bbox: [69.45, 42.25, 69.6, 42.35] },
];
