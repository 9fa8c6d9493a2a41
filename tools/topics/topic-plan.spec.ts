import { ALL_TOPICS, Topics } from '@safecity/contracts';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { checkPlan, contractTopics, topicTable, type PlannedTopic, type TopicPlan } from './topic-plan';

const CHART_TOPICS = join(__dirname, '../../deploy/helm/safecity/files/topics.json');

function planOf(overrides: (topic: PlannedTopic) => PlannedTopic = (t) => t): TopicPlan {
  return {
    topics: contractTopics().map((t) =>
      overrides({ name: t.name, partitions: 3, replicationFactor: 3, config: { ...t.config } }),
    ),
  };
}

describe('the platform topic table', () => {
  it('has every contract topic with its retry and dead-letter topic', () => {
    const names = contractTopics().map((t) => t.name);
    expect(names).toHaveLength(ALL_TOPICS.length * 3);
    for (const topic of ALL_TOPICS) {
      expect(names).toEqual(expect.arrayContaining([topic, `${topic}.retry`, `${topic}.dlq`]));
    }
  });

  it('compacts the camera stream but never its retry or dead-letter topic', () => {
    const byName = new Map(contractTopics().map((t) => [t.name, t]));
    expect(byName.get(Topics.Cameras)?.config['cleanup.policy']).toBe('compact');
    expect(byName.get(`${Topics.Cameras}.retry`)?.config).toEqual({});
    expect(byName.get(`${Topics.Cameras}.dlq`)?.config).toEqual({});
    expect(byName.get(Topics.Detections)?.config).toEqual({});
  });

  it('is what the Helm chart renders its topics from (regenerate with `npm run -s topics -- list`)', () => {
    expect(JSON.parse(readFileSync(CHART_TOPICS, 'utf8'))).toEqual(topicTable());
  });
});

describe('checkPlan', () => {
  it('accepts a plan of every platform topic with the contract settings', () => {
    expect(checkPlan(planOf())).toEqual([]);
  });

  it('refuses a plan that leaves out a topic the platform uses, naming it', () => {
    const plan = planOf();
    plan.topics = plan.topics.filter((t) => t.name !== `${Topics.Audit}.dlq`);
    expect(checkPlan(plan)).toEqual([`${Topics.Audit}.dlq: used by the platform but missing from the plan`]);
  });

  it('refuses a plan that drops a setting the contract requires', () => {
    const plan = planOf((t) =>
      t.name === Topics.Cameras ? { ...t, config: { 'retention.ms': '1000' } } : t,
    );
    expect(checkPlan(plan)).toEqual([
      `${Topics.Cameras}: the contract requires cleanup.policy=compact (plan: unset)`,
      `${Topics.Cameras}: the contract requires min.compaction.lag.ms=60000 (plan: unset)`,
    ]);
  });

  it('refuses sizes that are not positive integers and topics planned twice', () => {
    const plan = planOf((t) =>
      t.name === Topics.Matches ? { ...t, partitions: 0, replicationFactor: 1.5 } : t,
    );
    plan.topics.push({ ...plan.topics[0] });
    expect(checkPlan(plan)).toEqual([
      `${Topics.Matches}: partitions must be a positive integer (got 0)`,
      `${Topics.Matches}: replicationFactor must be a positive integer (got 1.5)`,
      `${Topics.Cameras}: planned twice`,
    ]);
  });
});
