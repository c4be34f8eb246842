export * from './virtual-account';
export * from './money';
export * from './ledger';
export * from './interest';
