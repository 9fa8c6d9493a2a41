export * from './bootstrap';
/** For benchmarks that measure the lookup path of ResolveExternalCamera without the gRPC layer. */
export { ResolveExternalCameraUseCase } from './cameras/use-cases';
export { encodeFrozenAnswersOnce, resolveAnswerOf } from './cameras/encoded-answers';
