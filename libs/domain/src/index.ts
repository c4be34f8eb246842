export * from './virtual-account';
export * from './money';
export * from './ledger';
export * from './interest';
export * from './decider';
export * from './setup';
export * from './lot';
export * from './inbound-credit';
