const preset = require('../../jest.preset');
module.exports = { ...preset, displayName: 'vision', rootDir: __dirname };
