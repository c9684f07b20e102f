/** Lambda event filtering: the EventBridge pattern subset that event source mappings accept. */

type Rule = unknown;

export function matchesAnyPattern(patterns: unknown[], event: unknown): boolean {
  return patterns.length === 0 || patterns.some((pattern) => matches(pattern, event));
}

export function matches(pattern: unknown, value: unknown): boolean {
  if (pattern === null || typeof pattern !== 'object' || Array.isArray(pattern)) {
    return Array.isArray(pattern) ? matchesRules(pattern, value) : pattern === value;
  }
  for (const [key, sub] of Object.entries(pattern as Record<string, unknown>)) {
    const child =
      value !== null && typeof value === 'object' ? (value as Record<string, unknown>)[key] : undefined;
    if (Array.isArray(sub)) {
      if (!matchesRules(sub, child)) return false;
    } else if (!matches(sub, child)) return false;
  }
  return true;
}

function matchesRules(rules: Rule[], value: unknown): boolean {
  const values = Array.isArray(value) ? value : [value];
  return rules.some((rule) => {
    if (rule !== null && typeof rule === 'object') {
      const entries = Object.entries(rule as Record<string, unknown>);
      const [op, arg] = entries[0] ?? ['', undefined];
      if (op === 'exists') return arg ? value !== undefined : value === undefined;
      return values.some((v) => v !== undefined && matchesOperator(op, arg, v));
    }
    return values.some((v) => v === rule);
  });
}

function matchesOperator(op: string, arg: unknown, value: unknown): boolean {
  switch (op) {
    case 'prefix':
      return typeof value === 'string' && typeof arg === 'string' && value.startsWith(arg);
    case 'suffix':
      return typeof value === 'string' && typeof arg === 'string' && value.endsWith(arg);
    case 'equals-ignore-case':
      return (
        typeof value === 'string' && typeof arg === 'string' && value.toLowerCase() === arg.toLowerCase()
      );
    case 'anything-but': {
      if (arg !== null && typeof arg === 'object' && !Array.isArray(arg)) return !matchesRules([arg], value);
      const excluded = Array.isArray(arg) ? arg : [arg];
      return !excluded.includes(value);
    }
    case 'numeric': {
      const n = typeof value === 'number' ? value : Number(value);
      if (Number.isNaN(n)) return false;
      const terms = arg as (string | number)[];
      for (let i = 0; i + 1 < terms.length; i += 2) {
        const bound = Number(terms[i + 1]);
        const ok = { '=': n === bound, '<': n < bound, '<=': n <= bound, '>': n > bound, '>=': n >= bound }[
          String(terms[i])
        ];
        if (!ok) return false;
      }
      return true;
    }
    default:
      return false;
  }
}

/**
 * SQS filter criteria address the message body only. A pattern's `body` is either an object
 * (fields of a JSON body) or a list of rules (the body as a plain string); Lambda drops a message
 * whose body is not in the format its pattern expects (Lambda developer guide, "Properly filtering
 * Amazon SQS messages").
 */
export function matchesSqsRecord(patterns: unknown[], record: { body?: unknown }): boolean {
  if (patterns.length === 0) return true;
  const text = typeof record.body === 'string' ? record.body : '';
  let parsed: { json: true; value: unknown } | { json: false } = { json: false };
  try {
    parsed = { json: true, value: JSON.parse(text) as unknown };
  } catch {
    // Not JSON: only plain-string patterns can match it.
  }
  return patterns.some((pattern) => {
    if (pattern === null || typeof pattern !== 'object' || !('body' in pattern)) return true;
    const body = (pattern as { body: unknown }).body;
    if (Array.isArray(body)) return !parsed.json && matchesRules(body, text);
    return parsed.json && matches(body, parsed.value);
  });
}

/** Why a pattern cannot be an SQS filter (Lambda supports only the `body` key there), if it cannot. */
export function sqsFilterProblem(pattern: unknown): string | undefined {
  if (pattern === null || typeof pattern !== 'object' || Array.isArray(pattern)) {
    return 'a filter pattern must be a JSON object';
  }
  const others = Object.keys(pattern).filter((key) => key !== 'body');
  if (others.length > 0) {
    return `SQS event source mappings only support filtering on the body key (found ${others.join(', ')})`;
  }
  const body = (pattern as { body: unknown }).body;
  if (body === null || typeof body !== 'object') {
    return 'the body filter must be an object (JSON bodies) or a list of rules (plain-string bodies)';
  }
  return undefined;
}
