import { BadRequestException } from '@nestjs/common';
import { purposeFrom } from './purpose';

describe('the X-Purpose header', () => {
  it('takes plain text as it is, trimmed', () => {
    expect(purposeFrom('  preparing a home visit ')).toBe('preparing a home visit');
  });

  it('decodes percent-encoded UTF-8, so a purpose can be written in any language', () => {
    expect(purposeFrom(encodeURIComponent('подготовка к визиту'))).toBe('подготовка к визиту');
  });

  it('treats a missing or blank header as no purpose', () => {
    expect(purposeFrom(undefined)).toBeUndefined();
    expect(purposeFrom('   ')).toBeUndefined();
  });

  it('takes the first of repeated headers', () => {
    expect(purposeFrom(['case review', 'other'])).toBe('case review');
  });

  it('refuses broken encoding and overlong text, naming the header', () => {
    for (const bad of ['100%', 'x'.repeat(301)]) {
      let error: unknown;
      try {
        purposeFrom(bad);
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(BadRequestException);
      expect((error as BadRequestException).getResponse()).toMatchObject({
        problems: [{ field: 'x-purpose', reason: expect.any(String) }],
      });
    }
  });
});
