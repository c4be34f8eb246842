export * from './business-time';
export * from './lot-ids';
export * from './lot-events';
export * from './lot-commands';
export * from './bond';
export * from './lot-status';
export * from './lot-state';
export * from './lot-decider';
