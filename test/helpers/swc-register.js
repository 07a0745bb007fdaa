// A tiny require hook so child processes in tests run our TypeScript sources directly
// (no stale dist/): `node -r ./test/helpers/swc-register.js some-file.ts`. Same swc settings as jest.
const fs = require('node:fs');
const swc = require('@swc/core');

const options = (filename) => ({
  filename,
  sourceMaps: 'inline',
  jsc: { parser: { syntax: 'typescript', decorators: true }, transform: { legacyDecorator: true, decoratorMetadata: true }, target: 'es2022' },
  module: { type: 'commonjs' },
});

require.extensions['.ts'] = function compileTs(module, filename) {
  const { code } = swc.transformSync(fs.readFileSync(filename, 'utf8'), options(filename));
  module._compile(code, filename);
};
