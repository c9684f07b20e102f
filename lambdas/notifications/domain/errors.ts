/** Errors of the Notify consumer: each fails its record, so SQS delivers it again later. */

/** Another attempt holds the send's lease: it may be sending now, or it crashed and the lease runs out. */
export class LeaseHeldError extends Error {
  override readonly name = 'LeaseHeld';
  constructor(what: string, until: number) {
    super(`${what}: another attempt holds the send until ${new Date(until).toISOString()}; retry later.`);
  }
}

/** Some channels failed (the others were sent and are not sent again on the retry). */
export class DeliveryFailedError extends Error {
  override readonly name = 'DeliveryFailed';
  constructor(
    what: string,
    readonly failures: readonly { channel: string; error: unknown }[],
  ) {
    super(
      `${what}: ${failures.map((f) => `${f.channel}: ${f.error instanceof Error ? f.error.message : String(f.error)}`).join('; ')}`,
      { cause: failures[0]?.error },
    );
  }
}
