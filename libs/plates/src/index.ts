/**
 * Plate text as the platform reads it: normalisation (one alphabet, no separators) and the
 * folding of characters OCR engines confuse. Recognition matches hotlists with it; incidents
 * checks an operator's visual check against a hit with the same rules.
 */
export {
  CONFUSABLE_CLASSES,
  MAX_PLATE_LENGTH,
  MIN_PLATE_LENGTH,
  isSamePlate,
  normalisePlate,
  plateSkeleton,
  skeletonSymbols,
} from './plate-text';
