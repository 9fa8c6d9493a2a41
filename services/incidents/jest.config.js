const preset = require('../../jest.preset');
module.exports = { ...preset, displayName: 'incidents', rootDir: __dirname };
