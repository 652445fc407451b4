// `npm run emulator`: the Pinterest emulator on EMULATOR_PORT, seeded with the demo world. The demo app
// takes PINTEREST_CLIENT_ID/SECRET when they are set, so the API can be pointed at it unchanged.
import { loadConfig } from '../config';
import { createEmulator, demo, demoFixture } from '../emulator';
import { runUntilSignal } from './signals';

void runUntilSignal(async () => {
  const config = loadConfig();
  const clientId = config.PINTEREST_CLIENT_ID || demo.clientId;
  const apiBase = config.PUBLIC_URL ?? `http://127.0.0.1:${config.PORT}`;
  const redirectUris = [...new Set([...demo.redirectUris, `${apiBase.replace(/\/+$/, '')}${demo.callbackPath}`])];
  const emulator = await createEmulator({
    port: config.EMULATOR_PORT,
    fixture: demoFixture({ clientId, clientSecret: config.PINTEREST_CLIENT_SECRET || demo.clientSecret, redirectUris }),
  });
  console.log(
    [
      `Pinterest emulator on ${emulator.url}`,
      `  PINTEREST_API_URL=${emulator.url}  PINTEREST_OAUTH_URL=${emulator.url}/oauth/`,
      `  app ${clientId}  redirect URIs: ${redirectUris.join(', ')}`,
      `  user ${demo.username} (${demo.userId}); boards Recipes ${demo.boards.recipes}, Travel ${demo.boards.travel}, Drafts (secret) ${demo.boards.drafts}`,
      `  admin: ${emulator.url}/_admin/pins, /_admin/faults, /_admin/tokens (POST {"userId","scopes"})`,
    ].join('\n'),
  );
  return { stop: () => emulator.close() };
});
