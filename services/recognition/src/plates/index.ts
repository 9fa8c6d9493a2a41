export {
  CONFUSABLE_CLASSES,
  MAX_PLATE_LENGTH,
  MIN_PLATE_LENGTH,
  normalisePlate,
  plateSkeleton,
} from '@safecity/plates';
export * from './plate-hotlist-index';
