export * from './bootstrap';
export {
  startDetectionSimulator,
  DEMO_HOTLIST_PLATES,
  SIMULATED_FACE_MODEL,
  type DetectionSimulatorOptions,
  type RunningDetectionSimulator,
  type SimulatedVideoSystem,
  ingestScriptedDetections,
  type ScriptedDetection,
} from './simulator';
