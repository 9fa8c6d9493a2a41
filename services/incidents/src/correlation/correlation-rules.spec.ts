import { DEFAULT_CORRELATION_RULES, parseCorrelationRules } from './correlation-rules';

describe('correlation rules', () => {
  it('keeps defaults for types left out', () => {
    const rules = parseCorrelationRules('{"behaviour":{"windowSeconds":60,"radiusMeters":50}}');
    expect(rules.behaviour).toEqual({ windowSeconds: 60, radiusMeters: 50 });
    expect(rules.plate).toEqual(DEFAULT_CORRELATION_RULES.plate);
    expect(parseCorrelationRules(undefined)).toEqual(DEFAULT_CORRELATION_RULES);
  });

  it('refuses unknown types and bad values', () => {
    expect(() => parseCorrelationRules('{"weather":{"windowSeconds":1}}')).toThrow(/unknown/);
    expect(() => parseCorrelationRules('{"plate":{"windowSeconds":-1}}')).toThrow(/windowSeconds/);
    expect(() => parseCorrelationRules('{"plate":{"radiusMeters":0}}')).toThrow(/radiusMeters/);
    expect(() => parseCorrelationRules('[]')).toThrow(/object/);
  });
});
