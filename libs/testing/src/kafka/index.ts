export { KafkaBroker } from './kafka-broker';
export type { KafkaBrokerOptions } from './kafka-broker';
