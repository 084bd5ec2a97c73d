import { Stack } from 'aws-cdk-lib';
import { Bucket } from 'aws-cdk-lib/aws-s3';
import { DefinitionBody, Pass, StateMachine } from 'aws-cdk-lib/aws-stepfunctions';
import { describe, expect, it } from 'vitest';
import { DATASET_TRIGGER } from '#pipelines/triggers.ts';
import { WorkflowTrigger } from '../../infra/constructs/workflow-trigger.ts';
import { newTestApp } from './synth-payguard.ts';

describe('WorkflowTrigger', () => {
  it('refuses an empty list of key prefixes, saying what to pass', () => {
    // Prepare
    const stack = new Stack(newTestApp(), 'Test');
    const bucket = new Bucket(stack, 'Bucket');
    const stateMachine = new StateMachine(stack, 'Machine', {
      definitionBody: DefinitionBody.fromChainable(new Pass(stack, 'Pass')),
    });

    // Act
    const create = () =>
      new WorkflowTrigger(stack, 'Trigger', {
        bucket,
        trigger: DATASET_TRIGGER,
        keyPrefixes: [],
        workflowName: 'dataset-ingest',
        stateMachine,
      });

    // Assess
    expect(create).toThrow('Test/Trigger got no key prefixes; pass at least one folder');
  });
});
