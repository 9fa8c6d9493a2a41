import { Catch, type RpcExceptionFilter } from '@nestjs/common';
import { status } from '@grpc/grpc-js';
import { throwError, type Observable } from 'rxjs';
import { OperationRefusedException } from './operation-policy';

/**
 * A use case's refusal reaching a gRPC handler is PERMISSION_DENIED, as the guard's is: the
 * refusal is an HTTP exception, which Nest's RPC layer would otherwise answer as UNKNOWN.
 */
@Catch(OperationRefusedException)
export class OperationRefusalRpcFilter implements RpcExceptionFilter<OperationRefusedException> {
  catch(exception: OperationRefusedException): Observable<never> {
    const body = exception.getResponse() as { message?: string };
    return throwError(() => ({ code: status.PERMISSION_DENIED, message: body.message ?? 'forbidden' }));
  }
}
