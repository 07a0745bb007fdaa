export * from './agreement-terms';
export * from './content';
export * from './owner-agreement';
export * from './partnership';
export * from './board';
export * from './county-line';
export * from './current-decision';
export * from './co-location';
