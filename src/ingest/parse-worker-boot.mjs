// Entry of the parse worker thread: a worker does not inherit the loader hooks `node --import tsx`
// registered on the main thread (Node 20), so register tsx here for the TypeScript worker.
import { register } from 'tsx/esm/api'
register()
await import('./parse-worker.ts')
