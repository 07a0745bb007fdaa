export * from './criteria';
export * from './split';
export * from './scheme';
export * from './evidence';
export * from './stimulus';
