import { describe, expect, it } from 'vitest';
import { StepError } from '#orders/domain/errors.ts';
import { FlagInputSchema, MarkFailedInputSchema, OrderStepInputSchema } from '#orders/domain/steps.ts';
import { sagaStep } from '#orders/handlers/saga-step.ts';

const ORDER = 'ord_Jx2d3mZ4kq9V1bQe0sR7tY5uW8aC6fGh';

/** A step that records what its use case was given. */
function recording<S extends Parameters<typeof sagaStep>[1]>(schema: S) {
  const seen: unknown[] = [];
  const step = sagaStep('TestStep', schema, async (input) => {
    seen.push(input);
    return { ok: true };
  });
  return { step, seen };
}

describe('sagaStep', () => {
  it('runs the use case with the parsed input and returns its result', async () => {
    const { step, seen } = recording(OrderStepInputSchema);
    expect(await step({ orderId: ORDER })).toEqual({ ok: true });
    expect(seen).toEqual([{ orderId: ORDER }]);
  });

  it('drops the fields a step does not read, such as the token the state carries', async () => {
    const { step, seen } = recording(MarkFailedInputSchema);
    await step({
      orderId: ORDER,
      order: { token: 'tok_visa', total: 100 },
      error: { Error: 'OutOfStock', Cause: '{}', extra: 1 },
      reversal: { status: 'VOIDED', refundId: 'r1' },
      failed: null,
    });
    expect(seen).toEqual([
      { orderId: ORDER, error: { Error: 'OutOfStock', Cause: '{}' }, reversal: { status: 'VOIDED' } },
    ]);
  });

  it('refuses bad input as InvalidStepInput naming the step and the field, without running', async () => {
    const { step, seen } = recording(OrderStepInputSchema);
    const bad: unknown[] = [undefined, null, 'ord', {}, { orderId: 'ord_short' }, { orderId: 42 }];
    for (const event of bad) {
      const attempt = step(event);
      await expect(attempt).rejects.toBeInstanceOf(StepError);
      await expect(attempt).rejects.toMatchObject({
        name: 'InvalidStepInput',
        message: expect.stringMatching(/^TestStep: invalid input \(/),
      });
    }
    await expect(step({ orderId: 'nope' })).rejects.toMatchObject({
      message: expect.stringContaining('orderId:'),
    });
    expect(seen).toEqual([]);
  });

  it('refuses a malformed caught error on MarkForAttention', async () => {
    const { step } = recording(FlagInputSchema);
    await expect(step({ orderId: ORDER, compensationError: { Cause: 'no name' } })).rejects.toMatchObject({
      name: 'InvalidStepInput',
      message: expect.stringContaining('compensationError.Error'),
    });
  });

  it("lets the use case's errors through with their names", async () => {
    const thrown = new StepError('OutOfStock', 'A is short.');
    const step = sagaStep('TestStep', OrderStepInputSchema, async () => {
      throw thrown;
    });
    await expect(step({ orderId: ORDER })).rejects.toBe(thrown);

    const crash = new TypeError('boom');
    const crashing = sagaStep('TestStep', OrderStepInputSchema, async () => {
      throw crash;
    });
    await expect(crashing({ orderId: ORDER })).rejects.toBe(crash);
  });
});
