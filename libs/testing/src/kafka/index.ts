export { javaBin, KAFKA_JVM_FLAGS, KafkaBroker } from './kafka-broker';
export type { KafkaBrokerOptions } from './kafka-broker';
