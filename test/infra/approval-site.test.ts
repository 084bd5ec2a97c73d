import { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { Code, Function as LambdaFunction, Runtime } from 'aws-cdk-lib/aws-lambda';
import { describe, expect, it } from 'vitest';
import { ApprovalSite } from '../../infra/constructs/approval-site.ts';
import { newTestApp } from './synth-payguard.ts';

function prepare() {
  const stack = new Stack(newTestApp(), 'Test');
  const handler = new LambdaFunction(stack, 'Handler', {
    runtime: Runtime.NODEJS_24_X,
    handler: 'index.handler',
    code: Code.fromInline('export const handler = async () => ({ statusCode: 200 });'),
  });
  return { stack, handler };
}

describe('ApprovalSite', () => {
  it('has no routes and no integration until it serves a handler', () => {
    // Prepare
    const { stack } = prepare();

    // Act
    new ApprovalSite(stack, 'Site');

    // Assess
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::ApiGatewayV2::Route', 0);
    template.resourceCountIs('AWS::ApiGatewayV2::Integration', 0);
    template.resourceCountIs('AWS::ApiGatewayV2::Stage', 1);
  });

  it('takes the throttle it is given', () => {
    // Prepare
    const { stack, handler } = prepare();

    // Act
    new ApprovalSite(stack, 'Site', { throttle: { rateLimit: 1, burstLimit: 2 } }).serve(handler);

    // Assess
    Template.fromStack(stack).hasResourceProperties('AWS::ApiGatewayV2::Stage', {
      DefaultRouteSettings: { ThrottlingRateLimit: 1, ThrottlingBurstLimit: 2 },
    });
  });

  it('serves its routes once', () => {
    // Prepare
    const { stack, handler } = prepare();
    const site = new ApprovalSite(stack, 'Site');
    site.serve(handler);

    // Act
    const again = () => site.serve(handler);

    // Assess
    expect(again).toThrow('Test/Site already serves its routes; call serve once');
  });
});
