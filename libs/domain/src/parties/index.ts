export * from './party';
