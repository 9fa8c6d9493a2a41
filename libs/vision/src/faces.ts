import { sharpness, type RgbImage } from './image';
import type { FaceFinding } from './models';

/** What a face must be for its template to be worth computing. */
export interface FaceQualitySettings {
  /** Smallest side of the face box, pixels. */
  minSize: number;
  /** Least sharpness (variance of the Laplacian at 64 px wide, see `sharpness`). */
  minSharpness: number;
  /** Largest head turn (yaw) and tilt (pitch), degrees. */
  maxYaw: number;
  maxPitch: number;
  /** Least detector confidence. */
  minScore: number;
}

/**
 * A watchlist photo is taken once and matched against for years: it must show a large, sharp,
 * frontal face. A blurred 9×9 box filter on the fixture portrait brings its sharpness from about
 * 3,500 to 150; a two-pixel blur to 500.
 */
export const ENROLMENT_QUALITY: FaceQualitySettings = {
  minSize: 80,
  minSharpness: 250,
  maxYaw: 25,
  maxPitch: 25,
  minScore: 0.8,
};

/** Faces from cameras are smaller and less posed; below this their templates match poorly. */
export const SURVEILLANCE_QUALITY: FaceQualitySettings = {
  minSize: 40,
  minSharpness: 100,
  maxYaw: 35,
  maxPitch: 30,
  minScore: 0.6,
};

export type FaceJudgement =
  { usable: true; quality: number; sharpness: number } | { usable: false; reason: string; sharpness: number };

/** Whether a face passes the quality gate, and if not, why (in words fit for the person enrolling). */
export function judgeFace(image: RgbImage, face: FaceFinding, settings: FaceQualitySettings): FaceJudgement {
  const size = Math.min(face.box.width, face.box.height);
  const sharp = sharpness(image, face.box);
  if (face.score < settings.minScore) {
    return {
      usable: false,
      sharpness: sharp,
      reason: `the face is unclear (detector confidence ${face.score.toFixed(2)})`,
    };
  }
  if (size < settings.minSize) {
    return {
      usable: false,
      sharpness: sharp,
      reason: `the face is too small: ${Math.round(size)} pixels across, at least ${settings.minSize} needed`,
    };
  }
  if (sharp < settings.minSharpness) {
    return {
      usable: false,
      sharpness: sharp,
      reason: `the face is too blurred (sharpness ${Math.round(sharp)}, at least ${settings.minSharpness} needed)`,
    };
  }
  if (Math.abs(face.yaw) > settings.maxYaw) {
    return {
      usable: false,
      sharpness: sharp,
      reason: `the face is turned ${Math.round(Math.abs(face.yaw))}° aside, at most ${settings.maxYaw}° allowed`,
    };
  }
  if (Math.abs(face.pitch) > settings.maxPitch) {
    return {
      usable: false,
      sharpness: sharp,
      reason: `the face is tilted ${Math.round(Math.abs(face.pitch))}° up or down, at most ${settings.maxPitch}° allowed`,
    };
  }
  return { usable: true, sharpness: sharp, quality: qualityScore(face, size, sharp, settings) };
}

/**
 * 0..1 for the `quality` of a face observation: how far the face is past the gate, by its weakest
 * measure (size and sharpness against twice their minimum, pose against its maximum).
 */
function qualityScore(face: FaceFinding, size: number, sharp: number, s: FaceQualitySettings): number {
  const clamp = (v: number) => Math.max(0, Math.min(1, v));
  return clamp(
    Math.min(
      0.5 + size / (4 * s.minSize),
      0.5 + sharp / (4 * s.minSharpness),
      1 - Math.abs(face.yaw) / (2 * s.maxYaw),
      1 - Math.abs(face.pitch) / (2 * s.maxPitch),
      face.score,
    ),
  );
}

export class FaceEnrolmentRefusal extends Error {
  constructor(
    message: string,
    readonly facesFound: number,
  ) {
    super(message);
  }
}

/**
 * The one face of an enrolment photo, refused with the reason when the photo shows no face, more
 * than one, or one that fails the enrolment gate.
 */
export function enrolmentFace(
  image: RgbImage,
  faces: readonly FaceFinding[],
  settings: FaceQualitySettings = ENROLMENT_QUALITY,
): FaceFinding & { embedding: Float32Array; quality: number } {
  if (faces.length === 0) throw new FaceEnrolmentRefusal('no face was found in the photo', 0);
  if (faces.length > 1) {
    throw new FaceEnrolmentRefusal(
      `${faces.length} faces were found in the photo; it must show exactly one person`,
      faces.length,
    );
  }
  const face = faces[0];
  const judgement = judgeFace(image, face, settings);
  if (!judgement.usable)
    throw new FaceEnrolmentRefusal(`the face cannot be enrolled: ${judgement.reason}`, 1);
  if (!face.embedding) throw new Error('enrolment needs the face embedding');
  return { ...face, embedding: face.embedding, quality: judgement.quality };
}

export function cosine(a: Float32Array, b: Float32Array): number {
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (let i = 0; i < a.length; i++) {
    dot += a[i] * b[i];
    na += a[i] * a[i];
    nb += b[i] * b[i];
  }
  return dot / Math.sqrt(na * nb);
}
