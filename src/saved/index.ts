/** Saved queries: model, built-ins from queries/, storage. */
export { savedQueryInput, resolveParams, type SavedQuery, type SavedQueryInput } from './model.js'
export { loadBuiltins, parseBuiltin, BUILTIN_DIR } from './builtins.js'
export { SavedQueryRepository } from './repository.js'
