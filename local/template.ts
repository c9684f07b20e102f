/**
 * Reads the synthesized cloud assembly (`cdk.out`) and resolves CloudFormation intrinsics against
 * the physical ids the local cloud assigns, so the local cloud runs exactly what `cdk deploy` would.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export const REGION = 'us-east-1';
/** moto's default account: ARNs built here must match the ones moto returns. */
export const ACCOUNT = '123456789012';

export interface CfnResource {
  Type: string;
  Properties?: Record<string, unknown>;
  Metadata?: Record<string, unknown>;
  DependsOn?: string | string[];
}

export interface StackTemplate {
  stackName: string;
  resources: Record<string, CfnResource>;
  outputs: Record<string, { Value: unknown; Export?: { Name: unknown } }>;
}

/** Stacks of the assembly in deployment order (dependencies first). */
export function loadAssembly(cdkOut: string): StackTemplate[] {
  const manifest = JSON.parse(readFileSync(join(cdkOut, 'manifest.json'), 'utf8')) as {
    artifacts: Record<
      string,
      { type: string; dependencies?: string[]; properties?: { templateFile: string; stackName?: string } }
    >;
  };
  const stacks = Object.entries(manifest.artifacts).filter(([, a]) => a.type === 'aws:cloudformation:stack');
  const ordered: string[] = [];
  const visit = (id: string, seen: Set<string>) => {
    if (ordered.includes(id) || seen.has(id)) return;
    seen.add(id);
    for (const dep of manifest.artifacts[id]?.dependencies ?? []) {
      if (stacks.some(([s]) => s === dep)) visit(dep, seen);
    }
    ordered.push(id);
  };
  for (const [id] of stacks) visit(id, new Set());
  return ordered.map((id) => {
    const artifact = manifest.artifacts[id];
    if (!artifact?.properties) throw new Error(`stack ${id} has no template in ${cdkOut}`);
    const template = JSON.parse(readFileSync(join(cdkOut, artifact.properties.templateFile), 'utf8')) as {
      Resources?: Record<string, CfnResource>;
      Outputs?: StackTemplate['outputs'];
    };
    return {
      stackName: artifact.properties.stackName ?? id,
      resources: template.Resources ?? {},
      outputs: template.Outputs ?? {},
    };
  });
}

export interface Physical {
  ref: string;
  attrs: Record<string, string>;
}

/** The NoValue marker: properties resolving to it are dropped, as CloudFormation does. */
const NO_VALUE = Symbol('AWS::NoValue');

export class Resolver {
  readonly physical = new Map<string, Physical>();
  constructor(
    readonly stackName: string,
    private readonly exports: Map<string, string>,
  ) {}

  set(logicalId: string, ref: string, attrs: Record<string, string> = {}): void {
    this.physical.set(logicalId, { ref, attrs });
  }

  resolve<T = unknown>(value: unknown): T {
    const out = this.walk(value);
    return (out === NO_VALUE ? undefined : out) as T;
  }

  string(value: unknown): string {
    const out = this.resolve(value);
    if (typeof out !== 'string') throw new Error(`expected a string, got ${JSON.stringify(out)}`);
    return out;
  }

  private walk(value: unknown): unknown {
    if (Array.isArray(value)) return value.map((v) => this.walk(v)).filter((v) => v !== NO_VALUE);
    if (value === null || typeof value !== 'object') return value;
    const entries = Object.entries(value as Record<string, unknown>);
    if (entries.length === 1) {
      const [key, arg] = entries[0] as [string, unknown];
      if (key === 'Ref') return this.ref(arg as string);
      if (key === 'Fn::GetAtt') return this.getAtt(arg as string[] | string);
      if (key === 'Fn::Join') {
        const [sep, parts] = arg as [string, unknown[]];
        return (this.walk(parts) as unknown[]).join(sep);
      }
      if (key === 'Fn::Sub') return this.sub(arg);
      if (key === 'Fn::Select') {
        const [index, list] = arg as [unknown, unknown];
        return (this.walk(list) as unknown[])[Number(this.walk(index))];
      }
      if (key === 'Fn::Split') {
        const [sep, source] = arg as [string, unknown];
        return String(this.walk(source)).split(sep);
      }
      if (key === 'Fn::ImportValue') {
        const name = String(this.walk(arg));
        const found = this.exports.get(name);
        if (found === undefined) throw new Error(`no export named ${name}`);
        return found;
      }
      if (key === 'Fn::GetAZs') return [`${REGION}a`, `${REGION}b`, `${REGION}c`];
      if (key === 'Fn::Base64') return Buffer.from(String(this.walk(arg))).toString('base64');
    }
    const result: Record<string, unknown> = {};
    for (const [k, v] of entries) {
      const resolved = this.walk(v);
      if (resolved !== NO_VALUE) result[k] = resolved;
    }
    return result;
  }

  private ref(name: string): unknown {
    switch (name) {
      case 'AWS::Region':
        return REGION;
      case 'AWS::AccountId':
        return ACCOUNT;
      case 'AWS::Partition':
        return 'aws';
      case 'AWS::URLSuffix':
        return 'amazonaws.com';
      case 'AWS::StackName':
        return this.stackName;
      case 'AWS::StackId':
        return `arn:aws:cloudformation:${REGION}:${ACCOUNT}:stack/${this.stackName}/local`;
      case 'AWS::NoValue':
        return NO_VALUE;
    }
    const physical = this.physical.get(name);
    if (!physical) throw new Error(`${this.stackName}: Ref to unknown resource ${name}`);
    return physical.ref;
  }

  private getAtt(arg: string[] | string): string {
    const [logicalId, ...rest] = Array.isArray(arg) ? arg : arg.split('.');
    const attribute = rest.join('.');
    const physical = this.physical.get(logicalId ?? '');
    if (!physical) throw new Error(`${this.stackName}: GetAtt on unknown resource ${logicalId}`);
    const found = physical.attrs[attribute];
    if (found !== undefined) return found;
    // Attributes nothing here reads (log group ARNs for IAM policies, ...) still need a value.
    return `arn:aws:local:${REGION}:${ACCOUNT}:${logicalId}/${attribute}`;
  }

  private sub(arg: unknown): string {
    const [template, vars] = typeof arg === 'string' ? [arg, {}] : (arg as [string, Record<string, unknown>]);
    return template.replace(/\$\{([^}!][^}]*)\}/g, (_match, name: string) => {
      if (name in vars) return String(this.walk(vars[name]));
      if (name.includes('.')) {
        const [id, ...attr] = name.split('.');
        return this.getAtt([id ?? '', attr.join('.')]);
      }
      return String(this.ref(name));
    });
  }
}

/** CloudFormation's generated name for resources without an explicit one. */
export function generatedName(stackName: string, logicalId: string, max = 64): string {
  return `${stackName}-${logicalId}`.slice(0, max);
}

/** moto accepts any credentials; fixed ones keep the SDK from searching the machine for real ones. */
export const LOCAL_CREDENTIALS = { accessKeyId: 'test', secretAccessKey: 'test' };
