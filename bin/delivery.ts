/**
 * CDK entry of the delivery stack, once per account and region:
 * `npx cdk deploy --app 'node --import tsx bin/delivery.ts' -c githubRepo=owner/name` (docs/delivery.md).
 */
import { App } from 'aws-cdk-lib';
import { buildDelivery } from '../lib/stacks/delivery-stack.ts';

buildDelivery(new App());
