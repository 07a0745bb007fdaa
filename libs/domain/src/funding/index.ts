export * from './common';
export * from './money-entry';
export * from './staff-position';
