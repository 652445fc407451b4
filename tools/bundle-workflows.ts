// Prebuilds the workflow bundle for production images: `node --import tsx tools/bundle-workflows.ts <out.js>`.
// A worker given WORKFLOW_BUNDLE_PATH loads it instead of running webpack over src/workflows at every start
// (seconds of CPU per replica, and webpack's memory peak, gone from the worker's start).
// The payload codec is not part of the bundle: codecs run outside the workflow sandbox.
import fs from 'node:fs';
import path from 'node:path';
import { bundleWorkflowCode, DefaultLogger } from '@temporalio/worker';

export async function bundleWorkflows(outFile: string): Promise<{ bytes: number }> {
  // webpack's module report is noise in a build log; warnings and errors still show.
  const { code } = await bundleWorkflowCode({ workflowsPath: require.resolve('../src/workflows'), logger: new DefaultLogger('WARN') });
  fs.mkdirSync(path.dirname(outFile), { recursive: true });
  fs.writeFileSync(outFile, code);
  return { bytes: Buffer.byteLength(code) };
}

if (require.main === module) {
  const out = path.resolve(process.argv[2] ?? 'dist/workflow-bundle.js');
  const started = Date.now();
  bundleWorkflows(out).then(
    ({ bytes }) => console.log(`workflow bundle: ${out} (${Math.round(bytes / 1024)} KiB) in ${Date.now() - started} ms`),
    (err: unknown) => {
      console.error(err);
      process.exit(1);
    },
  );
}
