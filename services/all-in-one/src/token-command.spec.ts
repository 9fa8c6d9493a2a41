import { resolve } from 'node:path';
import { tokenCommand } from './token-command';

describe('the start banner’s token command', () => {
  it('is the plain command for the default data directory', () => {
    expect(tokenCommand('.data')).toBe('npm run -s token');
    expect(tokenCommand(resolve('.data'))).toBe('npm run -s token');
  });

  it('names any other data directory, so the token is signed with the key kept there', () => {
    expect(tokenCommand('/tmp/ops-data')).toBe('DATA_DIR=/tmp/ops-data npm run -s token');
    expect(tokenCommand('other')).toBe(`DATA_DIR=${resolve('other')} npm run -s token`);
    expect(tokenCommand("/tmp/it's here")).toBe(`DATA_DIR='/tmp/it'\\''s here' npm run -s token`);
  });
});
