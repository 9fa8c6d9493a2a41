const preset = require('../../jest.preset');
module.exports = { ...preset, displayName: 'all-in-one', rootDir: __dirname };
