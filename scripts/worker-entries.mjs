// The core's worker threads, each a module of its own (threads/worker-script.ts): source → the file
// name the starter looks for beside its bundle. One list for every bundler (scripts/build.mjs for
// dist/, bench/run.mjs for the benchmarks), so a new thread is not forgotten by one of them.
export const WORKER_ENTRIES = [
  ['electron/core/webhooks/inbox-writer-worker.ts', 'inbox-writer-worker.mjs'],
  ['electron/core/contacts/import/read-worker.ts', 'import-read-worker.mjs'],
  ['electron/core/contacts/import/save-worker.ts', 'import-save-worker.mjs'],
];
