export * from './bootstrap';
/** For benchmarks that measure the lookup path of ResolveExternalCamera without the gRPC layer. */
export { CamerasService } from './cameras/cameras.service';
export { encodeFrozenAnswersOnce, resolveAnswerOf } from './cameras/encoded-answers';
