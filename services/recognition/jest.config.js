const preset = require('../../jest.preset');
module.exports = { ...preset, displayName: 'recognition', rootDir: __dirname };
