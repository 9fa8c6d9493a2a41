const preset = require('../../jest.preset');
module.exports = { ...preset, displayName: 'console', rootDir: __dirname };
