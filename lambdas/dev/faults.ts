/** The shapes of POST /dev/faults (stage local only), for the handler and the OpenAPI document. */
import * as z from 'zod';

export const FaultModeSchema = z.enum(['error', 'timeout', 'crash-after-success']).meta({
  description:
    '`error`: the handler does not run, the invocation fails with InjectedFault; `timeout`: it does not run, the invocation times out after the function timeout; `crash-after-success`: it runs and succeeds, then its runtime crashes (Runtime.ExitError).',
});

export const FaultRequestSchema = z
  .strictObject({
    step: z
      .string()
      .regex(/^[A-Za-z0-9_-]{1,64}$/, 'A step: 1-64 letters, digits, `_` or `-`.')
      .meta({
        description:
          "A Lambda Task state's name in a deployed state machine, else a function's physical name or logical-id prefix.",
        example: 'AuthorizePayment',
      }),
    mode: FaultModeSchema,
    count: z
      .int()
      .min(1)
      .max(100)
      .default(1)
      .meta({ description: "How many of the function's next invocations fail." }),
    orderId: z
      .string()
      .regex(/^[A-Za-z0-9_-]{1,128}$/, 'An order id.')
      .optional()
      .meta({
        description:
          "Only invocations whose input is this order's (a saga step's `orderId`): one order's step fails while other orders pass.",
      }),
  })
  .meta({ id: 'FaultRequest', description: "A fault to arm in a saga step's function." });

export const ArmedFaultSchema = z
  .object({
    step: z.string(),
    function: z.string().meta({ description: "The function's physical name." }),
    mode: FaultModeSchema,
    count: z.int(),
    orderId: z.string().optional(),
  })
  .meta({ id: 'ArmedFault', description: 'The fault armed.' });

export type FaultRequest = z.output<typeof FaultRequestSchema>;
export type ArmedFault = z.output<typeof ArmedFaultSchema>;
