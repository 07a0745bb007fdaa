export * from './county';
export * from './centre';
export * from './centre-names';
