export * from './county';
export * from './centre';
