export * from './infra';
export * from './kafka';
export * from './identity';
export * from './authorization-matrix';
export * from './media/rtsp-test-server';
export * from './media/snapshot-test-server';
export * from './outage/tcp-outage-proxy';
export * from './processes/child-process';
