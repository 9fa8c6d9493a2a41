export * from './detection-generator';
export * from './detection-simulator';
