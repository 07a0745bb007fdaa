// @nestjs 12 ships ES modules; @swc/jest turns them (and ours) into CommonJS for Jest.
const swc = ['@swc/jest', {
  jsc: { parser: { syntax: 'typescript', decorators: true }, transform: { legacyDecorator: true, decoratorMetadata: true }, target: 'es2022' },
  module: { type: 'commonjs' },
}];
module.exports = {
  testEnvironment: 'node',
  transform: { '^.+\\.(t|j)s$': swc },
  transformIgnorePatterns: ['/node_modules/(?!(@nestjs|jose|fast-check|pure-rand|uid|load-esm|file-type|strtok3|token-types|@tokenizer|content-disposition)/)'],
  testMatch: ['<rootDir>/{apps,libs,test}/**/*.{spec,e2e-spec}.ts'],
  testTimeout: 60000,
};
