import { Controller } from '@nestjs/common';
import { GrpcMethod, Payload, RpcException } from '@nestjs/microservices';
import { status } from '@grpc/grpc-js';
import { RECOGNITION_SERVICE_NAME, type recognition, isUuid } from '@safecity/contracts';
import { CurrentPrincipal, Operation, type Principal } from '@safecity/security';
import { RECOGNITION_POLICIES as P } from '../../recognition.policies';
import { GetDetectionUseCase } from '../use-cases/get-detection/get-detection.use-case';

/** `Recognition.GetDetection`; the service's other methods live with matches. */
@Controller()
export class DetectionsGrpcController {
  constructor(private readonly getDetectionUseCase: GetDetectionUseCase) {}

  @GrpcMethod(RECOGNITION_SERVICE_NAME, 'GetDetection')
  @Operation(P.getDetection)
  async getDetection(
    @Payload() request: recognition.GetDetectionRequest,
    @CurrentPrincipal() principal: Principal,
  ): Promise<recognition.GetDetectionResponse> {
    if (!isUuid(request.id)) {
      throw new RpcException({ code: status.INVALID_ARGUMENT, message: 'id: must be a UUID' });
    }
    return { detection: await this.getDetectionUseCase.execute({ actor: principal, id: request.id }) };
  }
}
