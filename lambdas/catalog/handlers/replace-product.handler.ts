// Placeholder until the handler is written; keeps the CDK app synthesizable.
export const handler = async (): Promise<unknown> => ({ statusCode: 501, body: "" });
