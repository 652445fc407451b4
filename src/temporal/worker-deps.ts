// Activities are built from the process dependencies.
export type { Deps as WorkerDeps } from '../deps';
