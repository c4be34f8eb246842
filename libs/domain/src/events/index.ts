export * from './event-decoder';
export * from './stream-events';
export * from './stream-folds';
