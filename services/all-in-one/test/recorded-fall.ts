import type { Analysis, AnalysisRequest, BodyFinding, Keypoint, RgbImage } from '@safecity/vision';

/**
 * A fall replayed from keypoints recorded from a fixture: the standing person's keypoints as the
 * pose model found them, then the same keypoints turned about the feet (a body going down) and
 * staying down. Each analysed frame takes the next pose; frames keep coming from the camera.
 */
export class RecordedFall {
  private n = 0;

  constructor(
    private readonly standing: BodyFinding,
    /** Frames standing, then down for the rest: at a few frames a second a fall falls between two. */
    private readonly standingFrames = 4,
  ) {}

  async analyse(image: RgbImage, _request: AnalysisRequest): Promise<Analysis> {
    const n = this.n++;
    const deg = n < this.standingFrames ? 0 : 88;
    const keypoints = turned(this.standing, deg);
    const xs = keypoints.map((k) => k.x);
    const ys = keypoints.map((k) => k.y);
    const box = {
      x: Math.min(...xs),
      y: Math.min(...ys),
      width: Math.max(1, Math.max(...xs) - Math.min(...xs)),
      height: Math.max(1, Math.max(...ys) - Math.min(...ys)),
    };
    return {
      width: image.width,
      height: image.height,
      faces: [],
      objects: [],
      bodies: [{ score: this.standing.score, box, keypoints }],
      inferenceMs: 0,
    };
  }
}

function turned(body: BodyFinding, deg: number): Keypoint[] {
  const foot = { x: body.box.x + body.box.width / 2, y: body.box.y + body.box.height };
  const a = (deg * Math.PI) / 180;
  return body.keypoints.map((k) => {
    const dx = k.x - foot.x;
    const dy = k.y - foot.y;
    return {
      ...k,
      x: foot.x + dx * Math.cos(a) - dy * Math.sin(a),
      y: foot.y + dx * Math.sin(a) + dy * Math.cos(a),
    };
  });
}
