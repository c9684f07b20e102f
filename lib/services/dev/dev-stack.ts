/** The local issuer's token endpoint: stage local only, never in a deployed template. */
import type { Construct } from 'constructs';
import type { LocalIssuer } from '../../config/local-issuer.ts';
import { defineService } from '../manifest.ts';
import { ServiceStack, type ServiceStackProps } from '../service-stack.ts';

export const dev = defineService({
  service: 'dev',
  stages: ['local'],
  functions: {
    DevToken: { entry: 'lambdas/dev/handlers/token.handler.ts', name: 'dev-token' },
  },
  routes: [
    {
      method: 'POST',
      path: '/dev/token',
      fn: 'DevToken',
      access: {
        public:
          'Stage local only: mints tokens from the local issuer for tests and demos; never deployed to AWS.',
      },
    },
  ],
});

export interface DevStackProps extends ServiceStackProps {
  issuer: LocalIssuer;
  jwtIssuer: string;
  jwtAudience: string;
}

export class DevStack extends ServiceStack<keyof typeof dev.functions> {
  constructor(scope: Construct, id: string, props: DevStackProps) {
    if (props.config.stage !== 'local') throw new Error('the dev service exists in stage local only');
    super(scope, id, dev, props);
    this.functions.DevToken.addEnvironment('JWT_ISSUER', props.jwtIssuer)
      .addEnvironment('JWT_AUDIENCE', props.jwtAudience)
      .addEnvironment('DEV_ISSUER_PRIVATE_JWK', JSON.stringify(props.issuer.privateJwk));
  }
}
