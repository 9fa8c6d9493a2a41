export * from './detection-generator';
export * from './detection-simulator';
export * from './scripted-detections';
