import { Module, type DynamicModule } from '@nestjs/common';
import { ObservabilityModule } from '@safecity/observability';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { AuthController } from './auth/auth.controller';
import { CONSOLE_AUTH_OPTIONS, ConsoleAuth, type ConsoleAuthOptions } from './auth/console-auth';
import { CONSOLE_SETTINGS, type ConsoleSettings } from './console-settings';
import { LOCAL_SIGN_IN, LocalSignInController } from './local-sign-in/local-sign-in.controller';
import type { LocalSignIn } from './local-sign-in/local-sign-in';
import { ApiProxyController } from './proxy/api-proxy.controller';
import { WebAppController } from './web/web-app.controller';

export const CONSOLE_SERVICE = 'console';

export interface ConsoleModuleOptions {
  settings: ConsoleSettings;
  auth: ConsoleAuthOptions;
  /** The embedded default's sign-in page, served under `/local-issuer`. */
  localSignIn?: LocalSignIn;
}

/** The operations console's backend-for-frontend. */
@Module({})
export class ConsoleModule {
  static forRoot(options: ConsoleModuleOptions): DynamicModule {
    return {
      module: ConsoleModule,
      imports: [
        ObservabilityModule.forRoot({
          serviceName: CONSOLE_SERVICE,
          // Ready once the application is built; the services it forwards to have their own probes.
          indicators: [
            { name: 'web-app', isHealthy: () => existsSync(join(options.settings.webRoot, 'index.html')) },
          ],
        }),
      ],
      controllers: [
        AuthController,
        ApiProxyController,
        ...(options.localSignIn ? [LocalSignInController] : []),
        // Last: its catch-all route answers whatever the others do not.
        WebAppController,
      ],
      providers: [
        { provide: CONSOLE_SETTINGS, useValue: options.settings },
        { provide: CONSOLE_AUTH_OPTIONS, useValue: options.auth },
        ...(options.localSignIn ? [{ provide: LOCAL_SIGN_IN, useValue: options.localSignIn }] : []),
        ConsoleAuth,
      ],
    };
  }
}
