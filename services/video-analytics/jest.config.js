const preset = require('../../jest.preset');
module.exports = { ...preset, displayName: 'video-analytics', rootDir: __dirname };
