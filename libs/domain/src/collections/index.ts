export * from './table';
export * from './ordered-table';
