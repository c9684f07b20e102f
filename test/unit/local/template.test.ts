import { describe, expect, it } from 'vitest';
import { ACCOUNT, REGION, Resolver } from '../../../local/template.ts';

function resolver(): Resolver {
  const r = new Resolver(
    'store-local-api',
    new Map([['store-local-stateful:TableName', 'store-local-products']]),
  );
  r.set('Table', 'store-local-products', {
    Arn: `arn:aws:dynamodb:${REGION}:${ACCOUNT}:table/store-local-products`,
    StreamArn: 'arn:stream',
  });
  r.set('Fn', 'store-local-api-Fn', {
    Arn: `arn:aws:lambda:${REGION}:${ACCOUNT}:function:store-local-api-Fn`,
  });
  return r;
}

describe('CloudFormation intrinsic resolution', () => {
  it('resolves Ref, GetAtt, pseudo parameters and imports', () => {
    const r = resolver();
    expect(r.resolve({ Ref: 'Table' })).toBe('store-local-products');
    expect(r.resolve({ 'Fn::GetAtt': ['Table', 'StreamArn'] })).toBe('arn:stream');
    expect(r.resolve({ Ref: 'AWS::Region' })).toBe(REGION);
    expect(r.resolve({ 'Fn::ImportValue': 'store-local-stateful:TableName' })).toBe('store-local-products');
    expect(() => r.resolve({ Ref: 'Missing' })).toThrow(/unknown resource Missing/);
    expect(() => r.resolve({ 'Fn::ImportValue': 'nope' })).toThrow(/no export/);
  });

  it('resolves Join, Sub (both forms), Select and Split inside nested structures', () => {
    const r = resolver();
    const uri = {
      'Fn::Join': [
        '',
        [
          'arn:',
          { Ref: 'AWS::Partition' },
          ':apigateway:',
          { Ref: 'AWS::Region' },
          ':lambda:path/2015-03-31/functions/',
          { 'Fn::GetAtt': ['Fn', 'Arn'] },
          '/invocations',
        ],
      ],
    };
    expect(r.resolve(uri)).toBe(
      `arn:aws:apigateway:${REGION}:lambda:path/2015-03-31/functions/arn:aws:lambda:${REGION}:${ACCOUNT}:function:store-local-api-Fn/invocations`,
    );
    expect(r.resolve({ 'Fn::Sub': 'table ${Table} in ${AWS::AccountId} at ${Table.Arn}' })).toBe(
      `table store-local-products in ${ACCOUNT} at arn:aws:dynamodb:${REGION}:${ACCOUNT}:table/store-local-products`,
    );
    expect(r.resolve({ 'Fn::Sub': ['${Name}-x', { Name: { Ref: 'Table' } }] })).toBe(
      'store-local-products-x',
    );
    expect(r.resolve({ 'Fn::Select': [1, { 'Fn::Split': ['/', 'a/b/c'] }] })).toBe('b');
    expect(r.resolve({ Variables: { A: { Ref: 'Table' }, B: { Ref: 'AWS::NoValue' } } })).toEqual({
      Variables: { A: 'store-local-products' },
    });
  });
});
