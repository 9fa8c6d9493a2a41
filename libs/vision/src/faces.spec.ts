import { blurred, cropped, exposed, fixturePhoto, mirrored, plain, scaled, sideBySide } from './fixtures';
import { cosine, enrolmentFace, FaceEnrolmentRefusal, judgeFace, SURVEILLANCE_QUALITY } from './faces';
import { FACE_TEMPLATE_MODEL, VisionModels } from './models';
import type { RgbImage } from './image';

// The threshold a face watchlist of the embedded default's demo data uses; templates of the same
// person must clear it and another person's must not.
const WATCHLIST_THRESHOLD = 0.7;

/*
 * Runs the real models shipped in @vladmandic/human on the fixture portraits: one load (a few
 * seconds) and about a dozen analyses for the whole file.
 */
describe('faces from the packaged models', () => {
  const models = VisionModels.shared();
  const analyse = (image: RgbImage) => models.analyse(image, { faceEmbeddings: true });
  const enrol = async (image: RgbImage) => enrolmentFace(image, (await analyse(image)).faces);

  let enrolled: Float32Array;
  beforeAll(async () => {
    enrolled = (await enrol(fixturePhoto('astronaut'))).embedding;
  }, 120_000);

  it('names the model and its version in the template tag', () => {
    expect(FACE_TEMPLATE_MODEL).toMatch(/^human-faceres@\d+\.\d+\.\d+$/);
    expect(enrolled).toHaveLength(1024);
  });

  it('matches another crop, the mirror image and another exposure of the same photo above the threshold', async () => {
    const photo = fixturePhoto('astronaut');
    const variants = {
      crop: cropped(photo, 60, 10, 380, 380),
      mirror: mirrored(photo),
      darker: exposed(photo, 0.6),
    };
    for (const [name, image] of Object.entries(variants)) {
      const face = await enrol(image);
      const similarity = cosine(enrolled, face.embedding);
      expect({ name, above: similarity >= WATCHLIST_THRESHOLD }).toEqual({ name, above: true });
    }
  });

  it("does not match another person's face", async () => {
    const other = fixturePhoto('cameraman');
    const [face] = (await analyse(other)).faces;
    expect(judgeFace(other, face, SURVEILLANCE_QUALITY).usable).toBe(true);
    expect(cosine(enrolled, face.embedding!)).toBeLessThan(WATCHLIST_THRESHOLD - 0.15);
  });

  it('refuses a photo with two faces, with none, and a face too small or too blurred, saying why', async () => {
    const refusal = async (image: RgbImage) => {
      try {
        await enrol(image);
      } catch (error) {
        if (error instanceof FaceEnrolmentRefusal) return { faces: error.facesFound, message: error.message };
        throw error;
      }
      throw new Error('the photo was enrolled');
    };
    const two = sideBySide(fixturePhoto('astronaut'), fixturePhoto('cameraman'));
    expect(await refusal(two)).toEqual({
      faces: 2,
      message: '2 faces were found in the photo; it must show exactly one person',
    });
    expect(await refusal(plain(320, 240))).toEqual({ faces: 0, message: 'no face was found in the photo' });
    expect((await refusal(scaled(fixturePhoto('astronaut'), 160, 160))).message).toMatch(
      /^the face cannot be enrolled: the face is too small: \d+ pixels across, at least 80 needed$/,
    );
    expect((await refusal(blurred(fixturePhoto('astronaut'), 4))).message).toMatch(
      /^the face cannot be enrolled: the face is too blurred/,
    );
  });
});
