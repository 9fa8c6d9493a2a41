import { ensureWebAppBuilt } from './build-web';

// `npx nx run console:build-web`: the application as `npm start` would build it.
ensureWebAppBuilt().then(
  ({ built, ms }) =>
    process.stdout.write(
      built ? `console web application built in ${ms} ms\n` : 'console web application is current\n',
    ),
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  },
);
