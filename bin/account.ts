/**
 * CDK entry of the account stack, once per account and region, before a stage's first deploy:
 * `npx cdk deploy --app 'node --import tsx bin/account.ts'` (docs/operations.md, "Edge").
 */
import { App } from 'aws-cdk-lib';
import { buildAccount } from '../lib/stacks/account-stack.ts';

buildAccount(new App());
