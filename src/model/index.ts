/** The event model and field reference (public API of src/model). */
export * from './event.js'
export * from './fields.js'
