import { describe, expect, it } from 'vitest';
import {
  ABORTED_ERROR,
  TaskTokenBroker,
  type TaskTokenChange,
  TaskTokenError,
  TIMEOUT_ERROR,
} from '#local/stand-ins/task-token-broker.ts';

const EXECUTION = 'arn:aws:states:us-east-1:000000000000:execution:payguard-month:run-1';
const OTHER_EXECUTION = 'arn:aws:states:us-east-1:000000000000:execution:payguard-month:run-2';

/** The error `fn` throws (fails the test when it does not throw). */
function thrown(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  throw new Error('expected a throw');
}

describe('TaskTokenBroker', () => {
  it('mints long, unique, base64 tokens and lists them as pending', () => {
    const broker = new TaskTokenBroker();
    const before = Date.now();
    const a = broker.await({ executionArn: EXECUTION, state: 'AwaitApproval' });
    const b = broker.await({ executionArn: OTHER_EXECUTION, state: 'AwaitApproval' });

    expect(a.token).toMatch(/^[A-Za-z0-9+/]{300,2048}={0,2}$/);
    expect(b.token).not.toBe(a.token);
    const pending = broker.pending();
    expect(pending.map((t) => [t.token, t.executionArn, t.state])).toEqual([
      [a.token, EXECUTION, 'AwaitApproval'],
      [b.token, OTHER_EXECUTION, 'AwaitApproval'],
    ]);
    expect(pending[0]?.since.getTime()).toBeGreaterThanOrEqual(before);
  });

  it('resolves the task with the parsed output on succeed and closes the token', async () => {
    const broker = new TaskTokenBroker();
    const { token, settled } = broker.await({ executionArn: EXECUTION, state: 'AwaitApproval' });

    broker.succeed(token, '{"approved":true,"by":"王芳"}');

    await expect(settled).resolves.toEqual({ approved: true, by: '王芳' });
    expect(broker.pending()).toEqual([]);
  });

  it('rejects with the ASL error name and the cause on fail', async () => {
    const broker = new TaskTokenBroker();
    const named = broker.await({ executionArn: EXECUTION, state: 'AwaitApproval' });
    const unnamed = broker.await({ executionArn: EXECUTION, state: 'AwaitApproval' });

    broker.fail(named.token, 'ApprovalSuperseded', 'a newer run replaced this one');
    broker.fail(unnamed.token);

    await expect(named.settled).rejects.toMatchObject({
      name: 'ApprovalSuperseded',
      message: 'a newer run replaced this one',
    });
    const error = await unnamed.settled.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Error);
    expect(error).toMatchObject({ name: 'States.TaskFailed', message: '' });
  });

  it('answers TaskDoesNotExist for an unknown token and TaskTimedOut for a settled one', () => {
    const broker = new TaskTokenBroker();
    const { token } = broker.await({ executionArn: EXECUTION, state: 'AwaitApproval' });
    broker.succeed(token, '{}');

    const unknown = thrown(() => broker.succeed('bm90LWEtdG9rZW4=', '{}'));
    expect(unknown).toBeInstanceOf(TaskTokenError);
    expect(unknown).toMatchObject({ code: 'TaskDoesNotExist', name: 'TaskDoesNotExist' });
    expect(thrown(() => broker.fail('bm90LWEtdG9rZW4='))).toMatchObject({ code: 'TaskDoesNotExist' });
    expect(thrown(() => broker.heartbeat('bm90LWEtdG9rZW4='))).toMatchObject({ code: 'TaskDoesNotExist' });

    for (const settleAgain of [
      () => broker.succeed(token, '{}'),
      () => broker.fail(token, 'X'),
      () => broker.heartbeat(token),
    ]) {
      const closed = thrown(settleAgain);
      expect(closed).toBeInstanceOf(TaskTokenError);
      expect(closed).toMatchObject({ code: 'TaskTimedOut', name: 'TaskTimedOut' });
    }
  });

  it('accepts heartbeats for a pending token without settling it', () => {
    const broker = new TaskTokenBroker();
    const { token } = broker.await({ executionArn: EXECUTION, state: 'AwaitApproval' });

    broker.heartbeat(token);

    expect(broker.pending().map((t) => t.token)).toEqual([token]);
  });

  it('notifies listeners when a token becomes pending or settled, until unsubscribed', () => {
    const broker = new TaskTokenBroker();
    const changes: TaskTokenChange[] = [];
    const unsubscribe = broker.onChange((change) => {
      // The broker's state is already updated when listeners run.
      expect(broker.pending().some((t) => t.token === change.task.token)).toBe(change.type === 'pending');
      changes.push(change);
    });

    const a = broker.await({ executionArn: EXECUTION, state: 'AwaitApproval' });
    const b = broker.await({ executionArn: EXECUTION, state: 'AwaitRelease' });
    broker.succeed(a.token, '1');
    broker.fail(b.token, 'Rejected');
    unsubscribe();
    broker.await({ executionArn: EXECUTION, state: 'AwaitApproval' });

    expect(changes.map((c) => [c.type, c.task.state])).toEqual([
      ['pending', 'AwaitApproval'],
      ['pending', 'AwaitRelease'],
      ['succeeded', 'AwaitApproval'],
      ['failed', 'AwaitRelease'],
    ]);
    b.settled.catch(() => undefined);
  });

  it('isolates a throwing listener: the others still run and the broker call succeeds', async () => {
    const broker = new TaskTokenBroker();
    const seen: string[] = [];
    const warning = new Promise<Error>((resolve) => process.once('warning', resolve));
    broker.onChange((change) => {
      if (change.type === 'pending') throw new Error('listener bug');
    });
    broker.onChange((change) => seen.push(change.type));

    const { token, settled } = broker.await({ executionArn: EXECUTION, state: 'AwaitApproval' });
    broker.succeed(token, '"ok"');

    await expect(settled).resolves.toBe('ok');
    expect(seen).toEqual(['pending', 'succeeded']);
    expect((await warning).message).toBe('listener bug');
  });

  it('waitFor resolves once an execution waits at a given state', async () => {
    const broker = new TaskTokenBroker();
    const atApproval = broker.waitFor((pending) =>
      pending.some((t) => t.executionArn === EXECUTION && t.state === 'AwaitApproval'),
    );
    let resolved = false;
    void atApproval.then(() => {
      resolved = true;
    });

    broker.await({ executionArn: OTHER_EXECUTION, state: 'AwaitApproval' });
    broker.await({ executionArn: EXECUTION, state: 'AwaitRelease' });
    await Promise.resolve();
    expect(resolved).toBe(false);
    const { token } = broker.await({ executionArn: EXECUTION, state: 'AwaitApproval' });

    const pending = await atApproval;
    expect(pending.map((t) => t.token)).toContain(token);
  });

  it('waitFor resolves at once when the predicate already holds, e.g. nothing pending', async () => {
    const broker = new TaskTokenBroker();
    await expect(broker.waitFor((pending) => pending.length === 0)).resolves.toEqual([]);

    const { token } = broker.await({ executionArn: EXECUTION, state: 'AwaitApproval' });
    const drained = broker.waitFor((pending) => pending.length === 0);
    broker.succeed(token, 'null');
    await expect(drained).resolves.toEqual([]);
  });

  it('waitFor rejects on abort and when the predicate throws', async () => {
    const broker = new TaskTokenBroker();
    const controller = new AbortController();
    const waiting = broker.waitFor(() => false, { signal: controller.signal });
    controller.abort(new Error('run stopped'));
    await expect(waiting).rejects.toThrow('run stopped');

    const already = AbortSignal.abort(new Error('too late'));
    await expect(broker.waitFor(() => true, { signal: already })).rejects.toThrow('too late');

    const faulty = broker.waitFor((pending) => {
      if (pending.length > 0) throw new Error('predicate bug');
      return false;
    });
    broker.await({ executionArn: EXECUTION, state: 'AwaitApproval' });
    await expect(faulty).rejects.toThrow('predicate bug');
  });

  it("cancelExecution rejects only that execution's tokens with States.Aborted", async () => {
    const broker = new TaskTokenBroker();
    const first = broker.await({ executionArn: EXECUTION, state: 'AwaitApproval' });
    const second = broker.await({ executionArn: EXECUTION, state: 'AwaitRelease' });
    const other = broker.await({ executionArn: OTHER_EXECUTION, state: 'AwaitApproval' });

    expect(broker.cancelExecution(EXECUTION, 'stopped by operator')).toBe(2);

    await expect(first.settled).rejects.toMatchObject({
      name: ABORTED_ERROR,
      message: 'stopped by operator',
    });
    await expect(second.settled).rejects.toMatchObject({ name: ABORTED_ERROR });
    expect(broker.pending().map((t) => t.token)).toEqual([other.token]);
    expect(thrown(() => broker.succeed(first.token, '{}'))).toMatchObject({ code: 'TaskTimedOut' });
    expect(broker.cancelExecution(EXECUTION)).toBe(0);
  });

  it('times a token out after timeoutSeconds; a late report answers TaskTimedOut', async () => {
    const broker = new TaskTokenBroker();
    const { token, settled } = broker.await({
      executionArn: EXECUTION,
      state: 'AwaitApproval',
      timeoutSeconds: 0.02,
    });

    await expect(settled).rejects.toMatchObject({ name: TIMEOUT_ERROR });
    expect(broker.pending()).toEqual([]);
    expect(thrown(() => broker.succeed(token, '{}'))).toMatchObject({ code: 'TaskTimedOut' });
  });

  it('does not leave an unhandled rejection when nobody awaits a cancelled task', async () => {
    const broker = new TaskTokenBroker();
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => unhandled.push(reason);
    process.on('unhandledRejection', onUnhandled);
    try {
      broker.await({ executionArn: EXECUTION, state: 'AwaitApproval' });
      broker.cancelExecution(EXECUTION);
      await new Promise((resolve) => setTimeout(resolve, 10));
      expect(unhandled).toEqual([]);
    } finally {
      process.off('unhandledRejection', onUnhandled);
    }
  });
});
