export * from './inbound-credit';
export * from './classification';
