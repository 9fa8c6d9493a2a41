import type { MediaCredentialsSealer } from '@safecity/security';
import type { Analysis, AnalysisRequest, RgbImage } from '@safecity/vision';
import { randomUUID } from 'node:crypto';
import { modelsFor, SceneAnalytics } from '../analytics/scene-analytics';
import type { CameraHealthReporter } from '../delivery/camera-health.reporter';
import type { DetectionDelivery } from '../delivery/detection-delivery';
import type { FrameSink, FrameSource, SourceAddress } from '../frames/frame-source';
import { onvifStreamUri } from '../frames/onvif';
import { RtspReader } from '../frames/rtsp-reader';
import { SnapshotPoller } from '../frames/snapshot-poller';
import type { CameraSource } from '../sources/camera-source';

/** What analyses a frame: the packaged models (VisionModels) in the service. */
export interface FrameAnalyser {
  analyse(image: RgbImage, request: AnalysisRequest): Promise<Analysis>;
}

export interface WatcherDeps {
  /** The packaged models for every camera in the service; tests may replay recorded analyses for one. */
  analyserFor: (source: CameraSource) => FrameAnalyser;
  delivery: DetectionDelivery;
  health: CameraHealthReporter;
  sealer: MediaCredentialsSealer;
  ffmpeg?: string;
}

export interface WatcherStats {
  framesAnalysed: number;
  observations: number;
  lastFrameAt: Date | null;
  /** Time in the models per frame, the last one. */
  lastInferenceMs: number | null;
}

/**
 * One camera being watched: its frames (stream or snapshots) through its analytics to recognition,
 * its condition to camera health. Frames exist only in memory, one at a time.
 */
export class CameraWatcher {
  private frames: FrameSource | null = null;
  readonly stats: WatcherStats = {
    framesAnalysed: 0,
    observations: 0,
    lastFrameAt: null,
    lastInferenceMs: null,
  };

  constructor(
    readonly source: CameraSource,
    private readonly deps: WatcherDeps,
  ) {}

  get kind(): 'rtsp' | 'onvif' | 'snapshot' {
    return this.source.rtspUrl ? 'rtsp' : this.source.onvif ? 'onvif' : 'snapshot';
  }

  start(): void {
    const { source, deps } = this;
    deps.health.watch(source.cameraId, source.videoSystemId, source.regionCode);
    let address: SourceAddress;
    try {
      address = {
        frameRate: source.frameRate,
        credentials: source.sealedCredentials
          ? deps.sealer.open(source.sealedCredentials, source.cameraId)
          : null,
      };
    } catch {
      deps.health.update(source.cameraId, {
        condition: 'fault',
        detail: 'the camera credentials cannot be opened with this service media credentials key',
      });
      return;
    }
    const scene = new SceneAnalytics(source.cameraId, randomUUID().slice(0, 8), {
      features: new Set(source.features),
      zones: source.zones,
    });
    const request = modelsFor(new Set(source.features));
    const analyser = deps.analyserFor(source);
    const sink: FrameSink = {
      frame: async (image, atMs) => {
        const analysis = await analyser.analyse(image, request);
        const observations = scene.observe(image, analysis, atMs);
        this.stats.framesAnalysed++;
        this.stats.observations += observations.length;
        this.stats.lastFrameAt = new Date(atMs);
        this.stats.lastInferenceMs = analysis.inferenceMs;
        deps.delivery.enqueue(source, observations);
      },
      condition: (state) => deps.health.update(source.cameraId, state),
    };
    if (source.rtspUrl) {
      const url = source.rtspUrl;
      this.frames = new RtspReader(async () => url, address, { ffmpeg: deps.ffmpeg });
    } else if (source.onvif) {
      const { mediaUrl, profileToken } = source.onvif;
      this.frames = new RtspReader(
        () => onvifStreamUri(mediaUrl, profileToken, address.credentials),
        address,
        {
          ffmpeg: deps.ffmpeg,
        },
      );
    } else {
      this.frames = new SnapshotPoller(source.snapshotUrl!, address);
    }
    this.frames.start(sink);
  }

  async stop(): Promise<void> {
    await this.frames?.stop();
    this.frames = null;
    this.deps.health.unwatch(this.source.cameraId);
  }
}
