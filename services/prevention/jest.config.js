const preset = require('../../jest.preset');
module.exports = { ...preset, displayName: 'prevention', rootDir: __dirname };
