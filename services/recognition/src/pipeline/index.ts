export * from './detection-analysis';
export * from './face-template-store';
