#!/usr/bin/env node
// The `pinflow` command (npx pinflow …): the operator CLI in src/main/cli.ts, run through tsx like the servers.
require('tsx/cjs');
require('../src/main/cli.ts');
