/**
 * String lengths as JSON Schema counts them: in code points, so an emoji is one character. zod's
 * `.max()` counts UTF-16 units and would refuse text the document's `maxLength` allows.
 */
import * as z from 'zod';

/** 0..`max` code points (any characters). */
export const maxChars = (max: number, message = `At most ${max} characters.`) =>
  z
    .string()
    .refine((value) => [...value].length <= max, message)
    .meta({ maxLength: max });

/** 1..`max` code points (any characters). */
export const boundedString = (max: number, message = `1 to ${max} characters.`) =>
  z
    .string()
    .min(1, message)
    .refine((value) => [...value].length <= max, message)
    .meta({ minLength: 1, maxLength: max });

/**
 * Free text: at most `max` characters, at least one of them not white space, stored trimmed. Both
 * rules are on the value as sent, which is what the document's `pattern` and `maxLength` state.
 */
export const freeText = (max: number, what: string) => {
  const message = `${what}: 1 to ${max} characters, not all white space.`;
  return z
    .string()
    .regex(/\S/, message)
    .refine((value) => [...value].length <= max, message)
    .trim()
    .meta({ minLength: 1, maxLength: max });
};
