import { BadRequestException } from '@nestjs/common';
import { InvalidPurposeError, purposeFrom, purposeText } from './purpose';

/** A header value as Node's HTTP parser hands it over: one Latin-1 character per byte. */
const asHeaderBytes = (text: string) => Buffer.from(text, 'utf8').toString('latin1');

function refusalOf(raw: string | string[] | undefined): { field: string; reason: string } {
  try {
    purposeFrom(raw);
  } catch (error) {
    expect(error).toBeInstanceOf(BadRequestException);
    const body = (error as BadRequestException).getResponse() as {
      problems: { field: string; reason: string }[];
    };
    return body.problems[0];
  }
  throw new Error(`${JSON.stringify(raw)} was accepted`);
}

describe('the X-Purpose header', () => {
  it('takes plain text as it is, trimmed', () => {
    expect(purposeFrom('  preparing a home visit ')).toBe('preparing a home visit');
  });

  it('decodes UTF-8 the same way whether it is sent raw or percent-encoded', () => {
    const text = 'подготовка к визиту — Қазақстан';
    expect(purposeFrom(encodeURIComponent(text))).toBe(text);
    expect(purposeFrom(asHeaderBytes(text))).toBe(text);
    expect(purposeFrom(asHeaderBytes('café'))).toBe('café');
  });

  it('treats a missing or blank header as no purpose', () => {
    expect(purposeFrom(undefined)).toBeUndefined();
    expect(purposeFrom('   ')).toBeUndefined();
  });

  it('takes the first of repeated headers', () => {
    expect(purposeFrom(['case review', 'other'])).toBe('case review');
  });

  it.each([
    ['CR/LF (a fake second line in an audit export)', 'review\r\nactor=admin action=erase'],
    ['percent-encoded CR/LF', 'review%0D%0Aactor%3Dadmin'],
    ['an ANSI escape', 'review \u001b[2J\u001b[31mcleared'],
    ['a percent-encoded ANSI escape', 'review%1B%5B2J'],
    ['a C1 control', asHeaderBytes('review \u0085 next')],
    ['a bidi override', encodeURIComponent('review \u202eesrever')],
    ['a bidi isolate', asHeaderBytes('review \u2067x\u2069')],
    ['NUL', 'review%00'],
    ['a tab', 'review\tvisit'],
  ])('refuses %s, naming the header', (_, raw) => {
    expect(refusalOf(raw)).toEqual({
      field: 'x-purpose',
      reason: expect.stringMatching(/control characters/),
    });
  });

  it('refuses broken encoding and overlong text, naming the header', () => {
    for (const bad of [
      '100%',
      '%E0%A4%A',
      'x'.repeat(301),
      encodeURIComponent('ж'.repeat(301)),
      'é'.repeat(5000),
    ]) {
      expect(refusalOf(bad).field).toBe('x-purpose');
    }
    // Latin-1 bytes that are not UTF-8.
    expect(refusalOf('caf\u00e9').reason).toMatch(/UTF-8/);
  });

  it('counts the length in characters after decoding', () => {
    const text = 'ж'.repeat(300);
    expect(purposeFrom(encodeURIComponent(text))).toBe(text);
    expect(purposeFrom(asHeaderBytes(text))).toBe(text);
  });
});

describe('a purpose given as text (gRPC)', () => {
  it('takes any language as it is, without percent-decoding', () => {
    expect(purposeText(' проверка 100% ')).toBe('проверка 100%');
    expect(purposeText('café')).toBe('café');
  });

  it('refuses control characters and overlong text', () => {
    expect(() => purposeText('a\nb')).toThrow(InvalidPurposeError);
    expect(() => purposeText('a\u202eb')).toThrow(InvalidPurposeError);
    expect(() => purposeText('x'.repeat(301))).toThrow(InvalidPurposeError);
  });
});
