import { DynamicModule, Injectable, Logger, Module, OnApplicationBootstrap } from '@nestjs/common';
import type { LedgerConfig } from '../config/ledger-config';
import { KAFKA_PUBLISHING_OPTIONS, KafkaPublishingOptions, KafkaPublishingService } from './kafka-publishing.service';

/** Stands in for the publisher when no brokers are configured: says so once, creates no Kafka client. */
@Injectable()
export class KafkaPublishingOff implements OnApplicationBootstrap {
  onApplicationBootstrap(): void {
    new Logger('KafkaPublisher').log({
      msg: 'kafka publishing off: KAFKA_BROKERS is not set; the ledger runs on its embedded defaults alone',
    });
  }
}

/**
 * Publication of read models to Kafka (libs/messaging, docs/topics.md): on when KAFKA_BROKERS names
 * brokers, off otherwise.
 */
@Module({})
export class PublishingModule {
  static forConfig(config: LedgerConfig): DynamicModule {
    return config.kafkaBrokers.length === 0
      ? PublishingModule.off()
      : PublishingModule.forOptions({
          brokers: config.kafkaBrokers,
          readModelDbPath: config.readModelDbPath,
          topicSettings: {
            partitions: config.kafkaTopics.partitions,
            replicationFactor: config.kafkaTopics.replicationFactor,
            configEntries: config.kafkaTopics.minInsyncReplicas === undefined ? [] : [{ name: 'min.insync.replicas', value: String(config.kafkaTopics.minInsyncReplicas) }],
          },
        });
  }

  static off(): DynamicModule {
    return { module: PublishingModule, providers: [KafkaPublishingOff] };
  }

  /** With explicit options (topic prefix, partitions, batch bounds): for tests and special deployments. */
  static forOptions(options: KafkaPublishingOptions): DynamicModule {
    return {
      module: PublishingModule,
      providers: [{ provide: KAFKA_PUBLISHING_OPTIONS, useValue: options }, KafkaPublishingService],
      exports: [KafkaPublishingService],
    };
  }
}
