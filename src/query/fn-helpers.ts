/** Shared helpers for the function and aggregate tables. */
import type { Expr } from './ast.js'
import { fail } from './errors.js'
import type { CompileFn, ExprCtx } from './expr-ctx.js'
import type { Sql } from './types.js'

/** A call node. */
export type Call = Extract<Expr, { kind: 'call' }>

/** A function implementation: gets the call node, the context and the expression compiler. */
export type FnImpl = (e: Call, ctx: ExprCtx, compile: CompileFn) => Sql

/** Check the number of arguments. */
export function arity(e: Call, min: number, max = min): void {
  const n = e.args.length
  if (n < min || n > max) {
    const want = min === max ? `${min}` : max === Infinity ? `at least ${min}` : `${min} to ${max}`
    fail('wrong_arity', `\`${e.name}()\` takes ${want} argument${want === '1' ? '' : 's'}, got ${n}`, e.span)
  }
}

/** The i-th argument node (arity already checked). */
export const argAt = (e: Call, i: number): Expr => e.args[i]!

/** Compile the i-th argument. */
export const compileArg = (e: Call, i: number, ctx: ExprCtx, compile: CompileFn): Sql => compile(argAt(e, i), ctx)

/** A whole-number literal argument (e.g. `percentile(95, …)`, `top(5, …)`). */
export function numberLiteral(e: Call, i: number, what: string, min: number, max: number): number {
  const a = argAt(e, i)
  if (a.kind !== 'literal' || typeof a.value !== 'number' || a.value < min || a.value > max) {
    fail('bad_argument', `${what} must be a number from ${min} to ${max}`, a.span)
  }
  return a.value
}
