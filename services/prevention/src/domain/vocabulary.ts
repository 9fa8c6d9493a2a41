import { prevention } from '@safecity/contracts';

/** The words of prevention work as the REST API and the database spell them. */
export const SUBJECT_KINDS = ['person', 'family', 'place', 'organization'] as const;
export type SubjectKind = (typeof SUBJECT_KINDS)[number];

/** Kinds whose data is personal: every read is audited with its purpose, and erased after retention. */
export const PERSONAL_SUBJECT_KINDS: readonly SubjectKind[] = ['person', 'family'];
export const isPersonalSubject = (kind: string): boolean =>
  (PERSONAL_SUBJECT_KINDS as readonly string[]).includes(kind);

export const CATEGORIES = [
  'domestic-violence',
  'juvenile',
  'repeat-offending',
  'alcohol-related',
  'drug-related',
  'family-in-difficulty',
  'self-harm',
  'place-based-hotspot',
  'road-safety',
  'fraud-victimisation',
  'other',
] as const;
export type Category = (typeof CATEGORIES)[number];

export const RISK_LEVELS = ['low', 'medium', 'high', 'critical'] as const;
export type RiskLevel = (typeof RISK_LEVELS)[number];
export const riskRank = (level: RiskLevel): number => RISK_LEVELS.indexOf(level) + 1;

export const CASE_STATUSES = ['open', 'active', 'monitoring', 'closed'] as const;
export type CaseStatus = (typeof CASE_STATUSES)[number];

export const OUTCOMES = [
  'risk-resolved',
  'handed-over',
  'subject-moved',
  'opened-in-error',
  'other',
] as const;
export type Outcome = (typeof OUTCOMES)[number];

/** Agencies taking part in prevention work; the owner agency is one of them. */
export const AGENCIES = [
  'police',
  'district-police-inspector',
  'social-services',
  'akimat',
  'education',
  'health',
  'juvenile-affairs',
] as const;
export type Agency = (typeof AGENCIES)[number];

export const MEASURE_KINDS = [
  'home-visit',
  'preventive-talk',
  'social-services-referral',
  'medical-referral',
  'protective-order',
  'rehabilitation-programme',
  'place-fix-lighting',
  'place-fix-camera',
  'place-fix-other',
  'patrol-intensification',
  'community-meeting',
  'other',
] as const;
export type MeasureKind = (typeof MEASURE_KINDS)[number];

export const MEASURE_STATUSES = ['planned', 'in-progress', 'done', 'cancelled'] as const;
export type MeasureStatus = (typeof MEASURE_STATUSES)[number];

// Mappings to the contract's enums. Where the contract is coarser than the API (categories,
// measure kinds), the nearest value is used; events never carry free text.

export const CATEGORY_MESSAGE: Record<Category, prevention.PreventionCategory> = {
  'domestic-violence': prevention.PreventionCategory.PREVENTION_CATEGORY_DOMESTIC_VIOLENCE,
  juvenile: prevention.PreventionCategory.PREVENTION_CATEGORY_JUVENILE,
  'repeat-offending': prevention.PreventionCategory.PREVENTION_CATEGORY_REPEAT_OFFENDING,
  'alcohol-related': prevention.PreventionCategory.PREVENTION_CATEGORY_SUBSTANCE_ABUSE,
  'drug-related': prevention.PreventionCategory.PREVENTION_CATEGORY_SUBSTANCE_ABUSE,
  'family-in-difficulty': prevention.PreventionCategory.PREVENTION_CATEGORY_OTHER,
  'self-harm': prevention.PreventionCategory.PREVENTION_CATEGORY_SELF_HARM,
  'place-based-hotspot': prevention.PreventionCategory.PREVENTION_CATEGORY_PUBLIC_ORDER_HOTSPOT,
  'road-safety': prevention.PreventionCategory.PREVENTION_CATEGORY_ROAD_SAFETY,
  'fraud-victimisation': prevention.PreventionCategory.PREVENTION_CATEGORY_FRAUD_VICTIMISATION,
  other: prevention.PreventionCategory.PREVENTION_CATEGORY_OTHER,
};

export const RISK_MESSAGE: Record<RiskLevel, prevention.RiskLevel> = {
  low: prevention.RiskLevel.RISK_LEVEL_LOW,
  medium: prevention.RiskLevel.RISK_LEVEL_MEDIUM,
  high: prevention.RiskLevel.RISK_LEVEL_HIGH,
  critical: prevention.RiskLevel.RISK_LEVEL_CRITICAL,
};

export const STATUS_MESSAGE: Record<CaseStatus, prevention.PreventionCaseStatus> = {
  open: prevention.PreventionCaseStatus.PREVENTION_CASE_STATUS_OPEN,
  active: prevention.PreventionCaseStatus.PREVENTION_CASE_STATUS_ACTIVE,
  monitoring: prevention.PreventionCaseStatus.PREVENTION_CASE_STATUS_MONITORING,
  closed: prevention.PreventionCaseStatus.PREVENTION_CASE_STATUS_CLOSED,
};

export const OUTCOME_MESSAGE: Record<Outcome, prevention.ClosureReason> = {
  'risk-resolved': prevention.ClosureReason.CLOSURE_REASON_RISK_RESOLVED,
  'handed-over': prevention.ClosureReason.CLOSURE_REASON_HANDED_OVER,
  'subject-moved': prevention.ClosureReason.CLOSURE_REASON_SUBJECT_MOVED,
  'opened-in-error': prevention.ClosureReason.CLOSURE_REASON_OPENED_IN_ERROR,
  other: prevention.ClosureReason.CLOSURE_REASON_OTHER,
};

export const SUBJECT_KIND_MESSAGE: Record<SubjectKind, prevention.SubjectKind> = {
  person: prevention.SubjectKind.SUBJECT_KIND_PERSON,
  family: prevention.SubjectKind.SUBJECT_KIND_FAMILY,
  place: prevention.SubjectKind.SUBJECT_KIND_PLACE,
  organization: prevention.SubjectKind.SUBJECT_KIND_ORGANIZATION,
};

export const MEASURE_KIND_MESSAGE: Record<MeasureKind, prevention.MeasureKind> = {
  'home-visit': prevention.MeasureKind.MEASURE_KIND_HOME_VISIT,
  'preventive-talk': prevention.MeasureKind.MEASURE_KIND_PREVENTIVE_CONVERSATION,
  'social-services-referral': prevention.MeasureKind.MEASURE_KIND_SOCIAL_SUPPORT,
  'medical-referral': prevention.MeasureKind.MEASURE_KIND_REFERRAL,
  'protective-order': prevention.MeasureKind.MEASURE_KIND_PROTECTIVE_ORDER,
  'rehabilitation-programme': prevention.MeasureKind.MEASURE_KIND_REFERRAL,
  'place-fix-lighting': prevention.MeasureKind.MEASURE_KIND_ENVIRONMENTAL_DESIGN,
  'place-fix-camera': prevention.MeasureKind.MEASURE_KIND_ENVIRONMENTAL_DESIGN,
  'place-fix-other': prevention.MeasureKind.MEASURE_KIND_ENVIRONMENTAL_DESIGN,
  'patrol-intensification': prevention.MeasureKind.MEASURE_KIND_PATROL_INTENSIFICATION,
  'community-meeting': prevention.MeasureKind.MEASURE_KIND_COMMUNITY_MEETING,
  other: prevention.MeasureKind.MEASURE_KIND_OTHER,
};

export const MEASURE_STATUS_MESSAGE: Record<MeasureStatus, prevention.MeasureStatus> = {
  planned: prevention.MeasureStatus.MEASURE_STATUS_PLANNED,
  'in-progress': prevention.MeasureStatus.MEASURE_STATUS_IN_PROGRESS,
  done: prevention.MeasureStatus.MEASURE_STATUS_DONE,
  cancelled: prevention.MeasureStatus.MEASURE_STATUS_CANCELLED,
};

/**
 * The structured risk factor catalogue. A professional picks factors; each carries the level it
 * indicates on its own, and the case's risk level is the professional's decision informed by them.
 */
export const RISK_FACTOR_CATALOGUE: Readonly<Record<string, { label: string; indicates: RiskLevel }>> = {
  'prior-domestic-incident': { label: 'earlier domestic incident at the household', indicates: 'medium' },
  'threat-to-life': { label: 'threats to kill or seriously harm', indicates: 'critical' },
  'weapon-access': { label: 'access to a weapon', indicates: 'high' },
  'strangulation-history': { label: 'earlier strangulation or choking', indicates: 'critical' },
  'alcohol-abuse': { label: 'alcohol abuse', indicates: 'medium' },
  'drug-use': { label: 'drug use', indicates: 'medium' },
  'children-in-household': { label: 'children living in the household', indicates: 'medium' },
  'school-absence': { label: 'persistent school absence', indicates: 'low' },
  'runaway-history': { label: 'has run away from home', indicates: 'medium' },
  'prior-offending': { label: 'earlier offences', indicates: 'medium' },
  'protective-order-breach': { label: 'breach of a protective order', indicates: 'high' },
  unemployment: { label: 'long-term unemployment in the household', indicates: 'low' },
  'housing-instability': { label: 'unstable housing', indicates: 'low' },
  'self-harm-history': { label: 'earlier self-harm', indicates: 'high' },
  'repeat-calls-at-place': { label: 'repeated calls to the same place', indicates: 'medium' },
  'poor-lighting': { label: 'poorly lit place', indicates: 'low' },
  'no-camera-coverage': { label: 'no camera coverage of the place', indicates: 'low' },
  'late-night-alcohol-sales': { label: 'late-night alcohol sales at or near the place', indicates: 'medium' },
};
