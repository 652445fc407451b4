// The API's route plugins and services take the process dependencies.
export type { Deps as ApiDeps } from '../deps';
