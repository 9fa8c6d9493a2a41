const preset = require('../../jest.preset');
module.exports = { ...preset, displayName: 'security', rootDir: __dirname };
