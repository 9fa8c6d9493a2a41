export * from './image';
export * from './models';
export * from './faces';
export * from './fixtures';
