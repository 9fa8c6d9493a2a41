import { VisionModels } from '@safecity/vision';
import { Module, type DynamicModule } from '@nestjs/common';
import {
  RegionAccess,
  SecurityModule,
  type RetentionPolicy,
  type ServiceRetentionOptions,
} from '@safecity/security';
import { BehaviourAlertRaiser } from './behaviour/behaviour-alert-raiser';
import { BehaviourRuleChanges } from './behaviour/behaviour-rule-changes';
import { BEHAVIOUR_USE_CASES } from './behaviour/use-cases';
import { BehaviourAnalyser } from './behaviour/behaviour.analyser';
import { BehaviourController } from './behaviour/behaviour.controller';
import { BehaviourRulesRepository } from './behaviour/behaviour-rules.repository';
import { CameraDirectoryRepository } from './camera-directory/camera-directory.repository';
import { FaceMatchAnalyser } from './faces/face-match.analyser';
import { FACE_MATCHING_OPTIONS, FaceMatcher, type FaceMatchingOptions } from './faces/face-matcher';
import { FaceWatchlistController } from './faces/face-watchlist.controller';
import { PhotoEnrolmentController } from './faces/photo-enrolment/photo-enrolment.controller';
import { FacePhotosRepository } from './faces/photo-enrolment/face-photos.repository';
import { EnrolmentPhotos, FACE_MODELS } from './faces/photo-enrolment/enrolment-photos';
import { FaceEnrolment } from './faces/face-enrolment';
import { FACE_ENTRY_USE_CASES } from './faces/use-cases';
import { FaceWatchlistRepository } from './faces/face-watchlist.repository';
import { FalsePositivesController, IncidentDismissalsConsumer } from './feedback/false-positives.controller';
import { FalsePositivesRepository } from './feedback/false-positives.repository';
import { FEEDBACK_USE_CASES } from './feedback/use-cases';
import { MatchesController } from './matches/matches.controller';
import { MatchesGrpcController } from './matches/matches.grpc.controller';
import { MatchesRepository } from './matches/matches.repository';
import { MatchRaiser } from './matches/match-raiser';
import { MatchViews } from './matches/match-views';
import { MATCH_USE_CASES } from './matches/use-cases';
import { FaceTemplateStore } from './pipeline/face-template-store';
import { PlateHotlistController } from './plates/plate-hotlist.controller';
import {
  PLATE_MATCHING_OPTIONS,
  PlateHotlistMatcher,
  type PlateMatchingOptions,
} from './plates/plate-hotlist.matcher';
import { PlateHotlistRepository } from './plates/plate-hotlist.repository';
import { PLATE_ENTRY_USE_CASES } from './plates/use-cases';
import { PlateMatchAnalyser } from './plates/plate-match.analyser';
import { RECOGNITION_SCHEMA } from './schema';
import { PERSONAL_DATA_TYPES } from './watchlists/watchlist';
import { WATCHLIST_FEED_OPTIONS, WatchlistChangeFeed } from './watchlists/watchlist-change-feed';
import { WatchlistsController } from './watchlists/watchlists.controller';
import { WatchlistsRepository } from './watchlists/watchlists.repository';
import { WATCHLIST_USE_CASES } from './watchlists/use-cases';
import { WatchlistChanges } from './watchlists/watchlist-changes';

export interface MatchingOptions {
  plates?: PlateMatchingOptions;
  faces?: FaceMatchingOptions;
  /** How often each instance picks up other instances' watchlist changes; default 2 s. */
  watchlistPollMs?: number;
  /**
   * The template store ingestion's adapters fill, so that the face analyser takes from the same
   * one; a store of this module's own when omitted.
   */
  faceTemplates?: FaceTemplateStore;
  /** How often the retention job runs; default hourly. */
  retentionIntervalMs?: number;
  /**
   * Whether the retention job runs on its own schedule; default true. Suites turn it off and call
   * `runOnce` themselves, so that no scheduled run races what they arrange.
   */
  scheduleRetention?: boolean;
  /** Retention of the other data classes of the service (ingestion's), run by the same job. */
  otherRetentionPolicies?: RetentionPolicy[];
  /** Days an expired watchlist entry is kept (for the review of its matches) before it is erased; default 30. */
  watchlistRetentionDays?: number;
  /**
   * Days a match nobody confirmed (pending, partially confirmed, rejected or expired) is kept after
   * it was raised, with its verifications; default 90.
   */
  unconfirmedMatchRetentionDays?: number;
  /**
   * Days a confirmed match is kept after it was raised, with its verifications; default 365. The
   * incident it raised is kept by incidents under that service's own retention.
   */
  confirmedMatchRetentionDays?: number;
  /** Days a behaviour alert is kept after it was raised; default 90. */
  behaviourAlertRetentionDays?: number;
}

/**
 * Retention of matching's data classes. Expired entries stop matching at once; they are kept a
 * while longer so that the matches they raised can still be reviewed against them, then erased
 * with their templates.
 */
export function matchingRetentionPolicies(options: MatchingOptions = {}): RetentionPolicy[] {
  const days = options.watchlistRetentionDays ?? 30;
  const unconfirmedDays = options.unconfirmedMatchRetentionDays ?? 90;
  const confirmedDays = options.confirmedMatchRetentionDays ?? 365;
  const alertDays = options.behaviourAlertRetentionDays ?? 90;
  return [
    {
      dataClass: 'expired-plate-hotlist-entries',
      table: 'plate_hotlist_entries',
      timestampColumn: 'expires_at',
      retainFor: { days },
      legalBasis: `hotlist entries are erased ${days} days after they expire`,
    },
    {
      dataClass: 'expired-face-watchlist-entries',
      table: 'face_watchlist_entries',
      timestampColumn: 'expires_at',
      retainFor: { days },
      legalBasis: `face watchlist subjects and their templates are erased ${days} days after they expire`,
    },
    // Verifications go with their match (ON DELETE CASCADE): they name the people who verified it.
    {
      dataClass: 'unconfirmed-matches',
      table: 'matches',
      timestampColumn: 'matched_at',
      retainFor: { days: unconfirmedDays },
      where: `status <> 'confirmed'`,
      legalBasis: `matches nobody confirmed are erased with their verifications ${unconfirmedDays} days after they were raised`,
    },
    {
      dataClass: 'confirmed-matches',
      table: 'matches',
      timestampColumn: 'matched_at',
      retainFor: { days: confirmedDays },
      where: `status = 'confirmed'`,
      legalBasis: `confirmed matches are erased with their verifications ${confirmedDays} days after they were raised`,
    },
    {
      dataClass: 'behaviour-alerts',
      table: 'behaviour_alerts',
      timestampColumn: 'raised_at',
      retainFor: { days: alertDays },
      legalBasis: `behaviour alerts are erased ${alertDays} days after they were raised`,
    },
    {
      dataClass: 'watchlist-change-log',
      table: 'watchlist_changes',
      timestampColumn: 'changed_at',
      retainFor: { days: 1 },
      legalBasis: 'the change log only bridges instances until they have refreshed',
    },
    {
      dataClass: 'consumed-event-ids',
      table: 'inbox',
      timestampColumn: 'processed_at',
      retainFor: { days: 14 },
      legalBasis: 'redelivery protection outlives any Kafka retention of consumed topics',
    },
  ];
}

/** The service's retention: matching's policies and the other halves' own, on one schedule. */
export function matchingRetention(options: MatchingOptions): ServiceRetentionOptions {
  return {
    policies: [...matchingRetentionPolicies(options), ...(options.otherRetentionPolicies ?? [])],
    intervalMs: options.retentionIntervalMs,
    scheduled: options.scheduleRetention,
  };
}

/**
 * Watchlists and matching: plate hotlists, face watchlists, behaviour rules, matches with their
 * human verification, and false positives reported back by incidents. Its analysers run in
 * ingestion's pipeline (listed under DETECTION_ANALYSERS by the recognition module).
 */
@Module({})
export class MatchingModule {
  static forRoot(options: MatchingOptions = {}): DynamicModule {
    const accountability = SecurityModule.forService({
      schema: RECOGNITION_SCHEMA,
      personalDataTypes: PERSONAL_DATA_TYPES,
      retention: matchingRetention(options),
    });
    return {
      module: MatchingModule,
      imports: [accountability],
      controllers: [
        WatchlistsController,
        PlateHotlistController,
        FaceWatchlistController,
        PhotoEnrolmentController,
        MatchesController,
        MatchesGrpcController,
        BehaviourController,
        FalsePositivesController,
        IncidentDismissalsConsumer,
      ],
      providers: [
        { provide: WATCHLIST_FEED_OPTIONS, useValue: { pollMs: options.watchlistPollMs } },
        { provide: PLATE_MATCHING_OPTIONS, useValue: options.plates ?? {} },
        { provide: FACE_MATCHING_OPTIONS, useValue: options.faces ?? {} },
        {
          provide: FaceTemplateStore,
          useValue: options.faceTemplates ?? new FaceTemplateStore({ ttlMs: 60_000, maxEntries: 50_000 }),
        },
        WatchlistChangeFeed,
        WatchlistsRepository,
        RegionAccess,
        WatchlistChanges,
        ...WATCHLIST_USE_CASES,
        PlateHotlistRepository,
        ...PLATE_ENTRY_USE_CASES,
        PlateHotlistMatcher,
        PlateMatchAnalyser,
        FaceWatchlistRepository,
        FaceEnrolment,
        ...FACE_ENTRY_USE_CASES,
        FaceMatcher,
        FaceMatchAnalyser,
        FacePhotosRepository,
        EnrolmentPhotos,
        { provide: FACE_MODELS, useFactory: () => VisionModels.shared() },
        MatchesRepository,
        MatchRaiser,
        MatchViews,
        ...MATCH_USE_CASES,
        BehaviourAlertRaiser,
        ...BEHAVIOUR_USE_CASES,
        BehaviourRulesRepository,
        BehaviourRuleChanges,
        BehaviourAnalyser,
        FalsePositivesRepository,
        ...FEEDBACK_USE_CASES,
        // Recognition's camera directory, read for the cameras rules are attached to.
        CameraDirectoryRepository,
      ],
      exports: [
        accountability,
        FaceTemplateStore,
        PlateMatchAnalyser,
        FaceMatchAnalyser,
        BehaviourAnalyser,
        MatchRaiser,
      ],
    };
  }
}
