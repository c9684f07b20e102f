/**
 * CDK entry: `cdk synth|deploy -c stage=local|staging|prod`.
 */
import { App } from 'aws-cdk-lib';
import { buildStore } from '../lib/app.ts';

buildStore(new App());
