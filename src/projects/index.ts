/** Projects and credentials (public API). */
export { ProjectService, type IngestPrincipal, type ReadPrincipal, type CreatedProject } from './service.js'
export { ProjectRepository, type Project, type Credential } from './repository.js'
export { generateSecret, hashSecret, digestsEqual, type CredentialKind } from './secrets.js'
export { drainUrl, herokuDrainsAdd } from './drain-url.js'
