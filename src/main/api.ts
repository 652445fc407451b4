// Production entry: the HTTP API alone (any number of replicas).
import { loadConfig } from '../config';
import { runUntilSignal } from './signals';
import { startSystem } from './system';

void runUntilSignal(() => startSystem(loadConfig(), { api: true, worker: false }));
