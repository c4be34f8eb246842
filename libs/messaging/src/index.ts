export * from './topics';
export { envelopeJson, kafkaMessageOf, parseEnvelope } from './envelope';
export * from './refund-instructions.projection';
export * from './sealed-lot-money.projection';
export * from './published-state';
export {
  createKafkaClient,
  ensureTopics,
  kafkaLogCreator,
  TopicMisconfiguredError,
  type KafkaClientOptions,
  type KafkaLogSink,
  type TopicSettings,
} from './kafka-client';
export {
  KafkaPublisher,
  PublisherAheadOfStoreError,
  PublisherStoppedError,
  PublisherWaitTimeoutError,
  type BatchInfo,
  type KafkaPublisherOptions,
  type PublisherLogger,
  type PublisherState,
} from './kafka-publisher';
