const preset = require('../jest.preset');
module.exports = { ...preset, displayName: 'tools', rootDir: __dirname };
