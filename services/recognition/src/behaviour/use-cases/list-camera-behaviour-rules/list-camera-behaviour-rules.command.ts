import type { Command } from '@safecity/security';

export interface ListCameraBehaviourRules extends Command {
  cameraId: string;
}
