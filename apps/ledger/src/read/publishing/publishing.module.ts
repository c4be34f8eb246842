import { DynamicModule, Inject, Injectable, Logger, Module, OnApplicationBootstrap } from '@nestjs/common';
import type { LedgerConfig } from '../../platform/config/ledger-config';
import { KAFKA_PUBLISHING_OPTIONS, KafkaPublishingOptions, KafkaPublishingService } from './kafka-publishing.service';

const WHY_OFF = Symbol('WHY_OFF');

/** Stands in for the publisher when this process does not publish: says why once, creates no Kafka client. */
@Injectable()
export class KafkaPublishingOff implements OnApplicationBootstrap {
  constructor(@Inject(WHY_OFF) private readonly why: string) {}

  onApplicationBootstrap(): void {
    new Logger('KafkaPublisher').log({ msg: `kafka publishing off: ${this.why}` });
  }
}

/**
 * Publication of read models to Kafka (libs/messaging, docs/topics.md): on when KAFKA_BROKERS names
 * brokers, unless KAFKA_PUBLISHER=off (API replicas leave publishing to one publisher replica).
 */
@Module({})
export class PublishingModule {
  static forConfig(config: LedgerConfig): DynamicModule {
    if (config.kafkaBrokers.length === 0) return PublishingModule.off('KAFKA_BROKERS is not set; the ledger runs on its embedded defaults alone');
    if (!config.kafkaPublisher) return PublishingModule.off('KAFKA_PUBLISHER=off; another replica publishes');
    return PublishingModule.forOptions({
      eventStore: config.store,
      brokers: config.kafkaBrokers,
      readModelDbPath: config.readModelDbPath,
      topicSettings: {
        partitions: config.kafkaTopics.partitions,
        replicationFactor: config.kafkaTopics.replicationFactor,
        configEntries: config.kafkaTopics.minInsyncReplicas === undefined ? [] : [{ name: 'min.insync.replicas', value: String(config.kafkaTopics.minInsyncReplicas) }],
      },
    });
  }

  static off(why: string): DynamicModule {
    return { module: PublishingModule, providers: [{ provide: WHY_OFF, useValue: why }, KafkaPublishingOff] };
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
