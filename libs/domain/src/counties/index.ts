export * from './county';
export * from './centre';
export * from './centre-names';
export * from './centre-facts';
