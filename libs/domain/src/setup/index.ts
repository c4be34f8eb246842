export * from './tender-center';
export * from './master-account';
export * from './interest-rate-schedule';
export * from './virtual-account-registry';
export * from './basic-account-registry';
export * from './bidder-basic-accounts';
