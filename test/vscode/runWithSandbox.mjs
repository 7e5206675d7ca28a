// `node --import tsx test/vscode/runWithSandbox.mjs`: the extension-host suite with the local AWS
// sandbox behind it (the work is in runWithSandbox.ts; an .mjs entry for top-level await).
const { main } = await import('./runWithSandbox.ts');
process.exitCode = await main();
