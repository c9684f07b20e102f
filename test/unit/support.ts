import type { APIGatewayProxyEvent, Context } from 'aws-lambda';

/**
 * A REST proxy event as API Gateway (or the local emulator) delivers it. An event with a body and
 * no headers given is sent as JSON, as the store's clients send it.
 */
export function apiEvent(overrides: Partial<APIGatewayProxyEvent> = {}): APIGatewayProxyEvent {
  return {
    resource: '/',
    path: '/',
    httpMethod: 'GET',
    headers: overrides.body ? { 'content-type': 'application/json' } : {},
    multiValueHeaders: {},
    queryStringParameters: null,
    multiValueQueryStringParameters: null,
    pathParameters: null,
    stageVariables: null,
    body: null,
    isBase64Encoded: false,
    requestContext: {
      requestId: 'req-123',
      authorizer: null,
    } as unknown as APIGatewayProxyEvent['requestContext'],
    ...overrides,
  };
}

export const lambdaContext = {
  functionName: 'test',
  awsRequestId: 'aws-req-1',
  getRemainingTimeInMillis: () => 10_000,
} as unknown as Context;
