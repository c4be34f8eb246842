export * from './inbound-credit';
export * from './credit-decisions';
