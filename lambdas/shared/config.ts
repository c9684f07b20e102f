/**
 * Environment variables, validated once at cold start: a misconfigured function fails its init
 * with a message naming the variables, instead of failing later on some request.
 */
import * as z from 'zod';

export function loadEnv<S extends z.ZodType>(schema: S, env: NodeJS.ProcessEnv = process.env): z.output<S> {
  const result = schema.safeParse(env);
  if (result.success) return result.data;
  const problems = result.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
  throw new Error(`Invalid environment: ${problems}`);
}

/** A required, non-empty variable. */
export const required = () => z.string().min(1);
