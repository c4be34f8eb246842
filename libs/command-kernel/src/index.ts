export * from './command-context';
export * from './command-kernel';
export * from './idempotency';
export * from './rejection-error';
export * from './stream-states';
export * from './command-sequence';
