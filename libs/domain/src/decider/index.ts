export * from './decider';
export * from './plan';
