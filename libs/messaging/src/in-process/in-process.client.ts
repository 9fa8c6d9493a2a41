import { ClientProxy, type ReadPacket, type WritePacket } from '@nestjs/microservices';
import type { BusRecord } from '../envelope';
import type { EventPublisher } from '../publisher';
import type { InProcessBus } from './in-process-bus';

/** Producer side of the in-process transport. */
export class InProcessClient extends ClientProxy implements EventPublisher {
  readonly transportName = 'in-process';

  constructor(private readonly bus: InProcessBus) {
    super();
  }

  async connect(): Promise<void> {
    return undefined;
  }

  close(): void {
    return undefined;
  }

  async publishBatch(records: BusRecord[]): Promise<void> {
    this.bus.publish(records);
  }

  isHealthy(): boolean {
    return true;
  }

  unwrap<T>(): T {
    return this.bus as T;
  }

  protected publish(_packet: ReadPacket, callback: (packet: WritePacket) => void): () => void {
    callback({ err: new Error('request/response is not offered over the event bus; use gRPC') });
    return () => undefined;
  }

  protected async dispatchEvent<T = void>(packet: ReadPacket<BusRecord>): Promise<T> {
    this.bus.publish([{ ...packet.data, topic: packet.data.topic ?? String(packet.pattern) }]);
    return undefined as T;
  }
}
