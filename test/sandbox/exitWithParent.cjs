// Preloaded into the cognito-local child (node --require): when the sandbox process dies without
// stop() (SIGKILL, a crash), the IPC channel closes and the child exits instead of living on.
process.on('disconnect', () => process.exit(0));
