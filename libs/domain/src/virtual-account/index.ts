export * from './virtual-account-number';
