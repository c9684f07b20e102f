/**
 * zod -> ValidationError. Paths are dot-joined (`variants.0.price.amount`); an unknown key of a
 * strict object is reported at its own path, so a client sees exactly which field to remove.
 */
import type * as z from 'zod';
import { type FieldError, ValidationError } from './errors.ts';

export function issuesToFieldErrors(issues: readonly z.core.$ZodIssue[]): FieldError[] {
  const errors: FieldError[] = [];
  for (const issue of issues) {
    const base = issue.path.map(String);
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) errors.push({ path: [...base, key].join('.'), message: 'Unknown field' });
    } else {
      errors.push({ path: base.join('.'), message: issue.message });
    }
  }
  return errors;
}

/** Parses `input` with `schema` or throws a ValidationError (400) listing every issue. */
export function validate<S extends z.ZodType>(schema: S, input: unknown, what = 'request'): z.output<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  throw new ValidationError(`The ${what} is invalid.`, issuesToFieldErrors(result.error.issues));
}
