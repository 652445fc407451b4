// Every workflow the worker runs.
export {};
