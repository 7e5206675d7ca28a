// `npm run test:vscode` = `node --import tsx test/vscode/runInCodeServer.mjs`: the extension-host
// suite in code-server (the work is in runSuite.ts).
const { main } = await import('./runSuite.ts').catch((error) => {
  if (error?.code === 'ERR_UNKNOWN_FILE_EXTENSION') {
    console.error('run me with TypeScript support: node --import tsx test/vscode/runInCodeServer.mjs');
    process.exit(2);
  }
  throw error;
});
process.exitCode = await main();
