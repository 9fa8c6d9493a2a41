export const retryTopicOf = (topic: string) => `${topic}.retry`;
export const dlqTopicOf = (topic: string) => `${topic}.dlq`;
export const isRetryTopic = (topic: string) => topic.endsWith('.retry');
export const isDlqTopic = (topic: string) => topic.endsWith('.dlq');
export const baseTopicOf = (topic: string) => topic.replace(/\.(retry|dlq)$/, '');

/**
 * One consumer group per service, named after it: `safecity.<service>` (e.g. `safecity.recognition`).
 * Every instance of a service joins the same group, so each event is handled once per service.
 */
export const consumerGroupOf = (serviceName: string) => `safecity.${serviceName}`;
