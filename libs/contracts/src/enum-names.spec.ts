import { enumNames } from './enum-names';
import { IngestionMethod } from './gen/safecity/cameras/v1/cameras';
import { HotlistReason } from './gen/safecity/recognition/v1/recognition';

describe('enumNames', () => {
  it('names the values of a contract enum in kebab case, in the order of their numbers', () => {
    const methods = enumNames(IngestionMethod, 'INGESTION_METHOD_');
    expect(methods.names).toEqual(['canonical-push', 'onvif-events', 'hikvision-isapi', 'frigate-mqtt']);
    expect(enumNames(HotlistReason, 'HOTLIST_REASON_').names).toEqual([
      'stolen-vehicle',
      'wanted-person',
      'missing-person',
      'criminal-investigation',
      'other',
    ]);
  });

  it('turns names into values and back, and knows neither UNSPECIFIED nor UNRECOGNIZED', () => {
    const methods = enumNames(IngestionMethod, 'INGESTION_METHOD_');
    expect(methods.fromName('onvif-events')).toBe(IngestionMethod.INGESTION_METHOD_ONVIF_EVENTS);
    expect(methods.toName(IngestionMethod.INGESTION_METHOD_HIKVISION_ISAPI)).toBe('hikvision-isapi');
    expect(methods.fromName('unspecified')).toBeUndefined();
    expect(methods.fromName('unrecognized')).toBeUndefined();
    expect(methods.fromName('onvif')).toBeUndefined();
    expect(methods.toName(0)).toBe('unspecified');
    expect(methods.toName(-1)).toBe('unspecified');
    expect(methods.toName(99)).toBe('unspecified');
  });
});
