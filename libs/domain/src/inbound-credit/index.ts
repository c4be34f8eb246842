export * from './inbound-credit';
export * from './credit-decisions';
export * from './credit-dates';
