export * from './recorded-event';
export * from './domain-error';
export * from './decider';
export * from './dates';
export * from './money';
export * from './ids';
export * from './own';
export * from './numbers';
