import { MediaCredentialsSealer } from './media-credentials';

describe('MediaCredentialsSealer', () => {
  const sealer = MediaCredentialsSealer.development();
  const credentials = { username: 'viewer', password: 's3cret:with@signs' };

  it('opens what it sealed for the same camera and hides the password in the sealed bytes', () => {
    const sealed = sealer.seal(credentials, 'camera-1');
    expect(sealed.includes(Buffer.from('s3cret'))).toBe(false);
    expect(sealer.open(sealed, 'camera-1')).toEqual(credentials);
  });

  it('does not open for another camera or under another key', () => {
    const sealed = sealer.seal(credentials, 'camera-1');
    expect(() => sealer.open(sealed, 'camera-2')).toThrow();
    expect(() => new MediaCredentialsSealer(Buffer.alloc(32, 7)).open(sealed, 'camera-1')).toThrow();
  });
});
