export * from './table';
export * from './ordered-table';
export * from './grouped-list';
