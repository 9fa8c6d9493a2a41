const preset = require('../../jest.preset');
module.exports = { ...preset, displayName: 'plates', rootDir: __dirname };
