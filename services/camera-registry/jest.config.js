const preset = require('../../jest.preset');
module.exports = { ...preset, displayName: 'camera-registry', rootDir: __dirname };
