import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SESv2Client, SendEmailCommand } from '@aws-sdk/client-sesv2';
import {
  SendTaskFailureCommand,
  SendTaskHeartbeatCommand,
  SendTaskSuccessCommand,
  SFNClient,
  StartExecutionCommand,
  TaskTimedOut,
} from '@aws-sdk/client-sfn';
import { StateMachine } from 'aws-local-stepfunctions';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type SentMail,
  type SesOutboxEndpoint,
  startSesOutboxEndpoint,
} from '#local/stand-ins/ses-outbox-endpoint.ts';
import {
  type StepFunctionsEndpoint,
  startStepFunctionsEndpoint,
} from '#local/stand-ins/step-functions-endpoint.ts';
import { TaskTokenBroker } from '#local/stand-ins/task-token-broker.ts';

const EXECUTION = 'arn:aws:states:us-east-1:000000000000:execution:payguard-month:2026-10';
const clientConfig = {
  region: 'us-east-1',
  credentials: { accessKeyId: 'x', secretAccessKey: 'x' },
  maxAttempts: 1,
};

let broker: TaskTokenBroker;
let sfnEndpoint: StepFunctionsEndpoint;
let sesEndpoint: SesOutboxEndpoint;
let outbox: string;
let sfn: SFNClient;
let ses: SESv2Client;

beforeAll(async () => {
  broker = new TaskTokenBroker();
  sfnEndpoint = await startStepFunctionsEndpoint(broker);
  outbox = await mkdtemp(join(tmpdir(), 'payguard-outbox-'));
  sesEndpoint = await startSesOutboxEndpoint(outbox);
  sfn = new SFNClient({ ...clientConfig, endpoint: sfnEndpoint.url });
  ses = new SESv2Client({ ...clientConfig, endpoint: sesEndpoint.url });
});

afterAll(async () => {
  sfn?.destroy();
  ses?.destroy();
  await sfnEndpoint?.close();
  await sesEndpoint?.close();
  if (outbox) await rm(outbox, { recursive: true, force: true });
});

/** What `promise` rejects with (fails the test when it resolves). */
async function rejection(
  promise: Promise<unknown>,
): Promise<Error & { $metadata?: { httpStatusCode?: number } }> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected a rejection');
}

const awaitApproval = () => broker.await({ executionArn: EXECUTION, state: 'AwaitApproval' });

describe('Step Functions stand-in driven by @aws-sdk/client-sfn', () => {
  it('SendTaskSuccess settles the waiting task with the output', async () => {
    const { token, settled } = awaitApproval();

    const response = await sfn.send(
      new SendTaskSuccessCommand({ taskToken: token, output: '{"approved":true,"by":"李娜"}' }),
    );

    expect(response.$metadata.httpStatusCode).toBe(200);
    await expect(settled).resolves.toEqual({ approved: true, by: '李娜' });
    expect(broker.pending().map((t) => t.token)).not.toContain(token);
  });

  it('SendTaskFailure rejects the task with the error name and cause', async () => {
    const named = awaitApproval();
    const unnamed = awaitApproval();

    await sfn.send(
      new SendTaskFailureCommand({
        taskToken: named.token,
        error: 'ApprovalSuperseded',
        cause: '已被新批次取代',
      }),
    );
    await sfn.send(new SendTaskFailureCommand({ taskToken: unnamed.token }));

    await expect(named.settled).rejects.toMatchObject({
      name: 'ApprovalSuperseded',
      message: '已被新批次取代',
    });
    await expect(unnamed.settled).rejects.toMatchObject({ name: 'States.TaskFailed' });
  });

  it('a second report on the same token throws TaskTimedOut', async () => {
    const { token, settled } = awaitApproval();
    await sfn.send(new SendTaskSuccessCommand({ taskToken: token, output: '1' }));
    await settled;

    const again = await rejection(sfn.send(new SendTaskSuccessCommand({ taskToken: token, output: '2' })));
    expect(again).toBeInstanceOf(TaskTimedOut);
    expect(again.name).toBe('TaskTimedOut');
    expect(again.$metadata?.httpStatusCode).toBe(400);
    const failAfter = await rejection(
      sfn.send(new SendTaskFailureCommand({ taskToken: token, error: 'Late' })),
    );
    expect(failAfter.name).toBe('TaskTimedOut');
  });

  it('an unknown token throws TaskDoesNotExist', async () => {
    const error = await rejection(
      sfn.send(new SendTaskSuccessCommand({ taskToken: 'bm8tc3VjaC10YXNr', output: '{}' })),
    );
    expect(error.name).toBe('TaskDoesNotExist');
    expect(error.message).toBe('Task Token does not exist');
  });

  it('output that is not JSON throws InvalidOutput and leaves the task pending', async () => {
    const { token, settled } = awaitApproval();

    const error = await rejection(
      sfn.send(new SendTaskSuccessCommand({ taskToken: token, output: '{nope' })),
    );
    expect(error.name).toBe('InvalidOutput');
    expect(broker.pending().map((t) => t.token)).toContain(token);

    await sfn.send(new SendTaskSuccessCommand({ taskToken: token, output: '"fixed"' }));
    await expect(settled).resolves.toBe('fixed');
  });

  it('SendTaskHeartbeat answers for a pending token and TaskTimedOut once it is closed', async () => {
    const { token } = awaitApproval();
    await expect(sfn.send(new SendTaskHeartbeatCommand({ taskToken: token }))).resolves.toBeDefined();

    broker.cancelExecution(EXECUTION);
    const error = await rejection(sfn.send(new SendTaskHeartbeatCommand({ taskToken: token })));
    expect(error.name).toBe('TaskTimedOut');
  });

  it('enforces the model length constraints with ValidationException', async () => {
    const { token } = awaitApproval();
    const longToken = await rejection(
      sfn.send(new SendTaskSuccessCommand({ taskToken: 'A'.repeat(2049), output: '{}' })),
    );
    expect(longToken.name).toBe('ValidationException');
    expect(longToken.message).toContain("'taskToken'");

    // 256 KiB counted in UTF-8 bytes: 90,000 CJK characters are 270,000 bytes.
    const bigOutput = JSON.stringify('汉'.repeat(90_000));
    const tooBig = await rejection(
      sfn.send(new SendTaskSuccessCommand({ taskToken: token, output: bigOutput })),
    );
    expect(tooBig.name).toBe('ValidationException');
    expect(tooBig.message).toContain('262144');

    const longError = await rejection(
      sfn.send(new SendTaskFailureCommand({ taskToken: token, error: 'E'.repeat(257) })),
    );
    expect(longError.name).toBe('ValidationException');
    broker.cancelExecution(EXECUTION);
  });

  it('other operations throw UnknownOperationException', async () => {
    const error = await rejection(
      sfn.send(new StartExecutionCommand({ stateMachineArn: 'arn:aws:states:us-east-1:0:stateMachine:x' })),
    );
    expect(error.name).toBe('UnknownOperationException');
  });

  it('drives a .waitForTaskToken state of aws-local-stepfunctions: success and a caught failure', async () => {
    const machine = new StateMachine({
      StartAt: 'AwaitApproval',
      States: {
        AwaitApproval: {
          Type: 'Task',
          Resource: 'arn:aws:states:::lambda:invoke.waitForTaskToken',
          Parameters: { FunctionName: 'notify-approver', Payload: { 'taskToken.$': '$$.Task.Token' } },
          TimeoutSeconds: 30,
          Catch: [{ ErrorEquals: ['ApprovalSuperseded'], ResultPath: '$.error', Next: 'Superseded' }],
          End: true,
        },
        Superseded: { Type: 'Pass', Result: 'superseded', End: true },
      },
    });
    const run = (executionArn: string) =>
      machine.run(
        {},
        {
          overrides: {
            taskResourceLocalHandlers: {
              AwaitApproval: () =>
                broker.await({ executionArn, state: 'AwaitApproval' }).settled as Promise<{
                  approved: boolean;
                }>,
            },
          },
          // The runner substitutes the minted token; the library only needs `$$.Task.Token` to exist.
          context: { Task: { Token: 'minted-by-the-broker' } },
        },
      );
    /** The token `execution` waits on; fails fast if the execution ends instead. */
    const waitingAt = async (executionArn: string, execution: { result: Promise<unknown> }) => {
      const pending = await Promise.race([
        broker.waitFor((p) => p.some((t) => t.executionArn === executionArn && t.state === 'AwaitApproval')),
        execution.result.then((output) => {
          throw new Error(`execution ended without waiting: ${JSON.stringify(output)}`);
        }),
      ]);
      return pending.find((t) => t.executionArn === executionArn)?.token as string;
    };

    const approved = run(`${EXECUTION}-approved`);
    const approvedToken = await waitingAt(`${EXECUTION}-approved`, approved);
    await sfn.send(new SendTaskSuccessCommand({ taskToken: approvedToken, output: '{"approved":true}' }));
    await expect(approved.result).resolves.toEqual({ approved: true });

    const superseded = run(`${EXECUTION}-superseded`);
    const supersededToken = await waitingAt(`${EXECUTION}-superseded`, superseded);
    await sfn.send(
      new SendTaskFailureCommand({
        taskToken: supersededToken,
        error: 'ApprovalSuperseded',
        cause: 'newer run',
      }),
    );
    await expect(superseded.result).resolves.toBe('superseded');
  });
});

// ---- a minimal RFC 5322 / MIME reader, enough to check what the outbox wrote ----

/** Header block and body of a MIME entity, header lines unfolded. */
function entity(raw: string): { headers: Map<string, string>; body: string } {
  const split = raw.indexOf('\r\n\r\n');
  const headers = new Map<string, string>();
  for (const line of raw
    .slice(0, split)
    .replace(/\r\n[ \t]/g, ' ')
    .split('\r\n')) {
    const colon = line.indexOf(':');
    headers.set(line.slice(0, colon).toLowerCase(), line.slice(colon + 1).trim());
  }
  return { headers, body: raw.slice(split + 4) };
}

/** Decodes RFC 2047 `B` encoded-words; whitespace between adjacent words is dropped. */
const decodeWords = (value: string) =>
  value
    .replace(/\?=\s+=\?/g, '?==?')
    .replace(/=\?UTF-8\?B\?([^?]*)\?=/gi, (_, data: string) => Buffer.from(data, 'base64').toString('utf8'));

function parts(raw: string): { headers: Map<string, string>; body: string }[] {
  const { headers, body } = entity(raw);
  const boundary = /boundary="([^"]+)"/.exec(headers.get('content-type') ?? '')?.[1];
  if (!boundary) return [{ headers, body }];
  return body
    .split(`--${boundary}`)
    .slice(1, -1)
    .flatMap((part) => parts(part.replace(/^\r\n/, '')));
}

const decodedBody = (part: { body: string }) => Buffer.from(part.body, 'base64').toString('utf8');

describe('SES v2 outbox stand-in driven by @aws-sdk/client-sesv2', () => {
  const subject = '【PayGuard】2026年10月发放核查结果：3 条异常待复核';
  const text = '您好：\n本月核查发现 3 条异常记录，请登录系统复核。\n金额合计 ¥1,234.50';
  const html = '<p>您好：</p><p>本月核查发现 <b>3</b> 条异常记录。</p>';
  let first: SentMail;

  it('writes the message as .eml and .json and returns its MessageId', async () => {
    const response = await ses.send(
      new SendEmailCommand({
        FromEmailAddress: '发放核查 <payguard@example.gov.cn>',
        Destination: {
          ToAddresses: ['张三 <Zhang.San@Example.gov.cn>'],
          CcAddresses: ['audit@example.gov.cn'],
        },
        Content: {
          Simple: {
            Subject: { Data: subject, Charset: 'UTF-8' },
            Body: { Text: { Data: text, Charset: 'UTF-8' }, Html: { Data: html, Charset: 'UTF-8' } },
          },
        },
      }),
    );

    const sent = sesEndpoint.sent();
    expect(sent).toHaveLength(1);
    first = sent[0] as SentMail;
    expect(response.MessageId).toBe(first.messageId);
    expect(first).toMatchObject({
      sequence: 1,
      from: '发放核查 <payguard@example.gov.cn>',
      to: ['张三 <Zhang.San@Example.gov.cn>'],
      cc: ['audit@example.gov.cn'],
      subject,
      text,
      html,
      eml: '0001-zhang.san@example.gov.cn.eml',
    });
    expect((await readdir(outbox)).sort()).toEqual([
      '0001-zhang.san@example.gov.cn.eml',
      '0001-zhang.san@example.gov.cn.json',
    ]);
    const json = JSON.parse(await readFile(join(outbox, '0001-zhang.san@example.gov.cn.json'), 'utf8'));
    expect(json).toEqual(first);
    expect(Date.parse(json.sentAt)).not.toBeNaN();
  });

  it('the .eml is 7-bit MIME with RFC 2047 headers and base64 UTF-8 bodies', async () => {
    const raw = await readFile(join(outbox, first.eml), 'utf8');
    expect(raw).toMatch(/^[\x20-\x7e\r\n]*$/);
    expect(raw.split('\r\n').every((line) => line.length <= 998)).toBe(true);

    const { headers } = entity(raw);
    expect(decodeWords(headers.get('subject') ?? '')).toBe(subject);
    expect(decodeWords(headers.get('from') ?? '')).toBe('发放核查 <payguard@example.gov.cn>');
    expect(decodeWords(headers.get('to') ?? '')).toBe('张三 <Zhang.San@Example.gov.cn>');
    expect(headers.get('cc')).toBe('audit@example.gov.cn');
    expect(headers.get('message-id')).toContain(first.messageId);
    expect(headers.get('mime-version')).toBe('1.0');
    expect(headers.get('date')).toMatch(/^\w{3}, \d{2} \w{3} \d{4} \d{2}:\d{2}:\d{2} \+0000$/);
    expect(headers.get('content-type')).toMatch(/^multipart\/alternative; boundary="/);

    const [plain, rich] = parts(raw);
    expect(plain?.headers.get('content-type')).toBe('text/plain; charset=UTF-8');
    expect(plain?.headers.get('content-transfer-encoding')).toBe('base64');
    expect(decodedBody(plain as { body: string })).toBe(text);
    expect(rich?.headers.get('content-type')).toBe('text/html; charset=UTF-8');
    expect(decodedBody(rich as { body: string })).toBe(html);
  });

  it('splits long subjects into encoded-words of at most 75 characters', async () => {
    const long = `${'工资发放异常复核通知'.repeat(8)} — 第二批`;
    await ses.send(
      new SendEmailCommand({
        FromEmailAddress: 'payguard@example.gov.cn',
        Destination: { ToAddresses: ['li.na@example.gov.cn'] },
        Content: { Simple: { Subject: { Data: long }, Body: { Text: { Data: '正文' } } } },
      }),
    );

    const mail = sesEndpoint.sent()[1] as SentMail;
    expect(mail.eml).toBe('0002-li.na@example.gov.cn.eml');
    const raw = await readFile(join(outbox, mail.eml), 'utf8');
    const words = raw.match(/=\?UTF-8\?B\?[^?]*\?=/g) ?? [];
    expect(words.length).toBeGreaterThan(3);
    expect(words.every((word) => word.length <= 75)).toBe(true);
    const { headers } = entity(raw);
    expect(decodeWords(headers.get('subject') ?? '')).toBe(long);
    // A text-only message is a single text/plain entity.
    expect(headers.get('content-type')).toBe('text/plain; charset=UTF-8');
    expect(decodedBody(entity(raw))).toBe('正文');
  });

  it('invalid requests throw BadRequestException and write nothing', async () => {
    const noFrom = await rejection(
      ses.send(
        new SendEmailCommand({
          Destination: { ToAddresses: ['a@example.gov.cn'] },
          Content: { Simple: { Subject: { Data: 's' }, Body: { Text: { Data: 't' } } } },
        }),
      ),
    );
    expect(noFrom.name).toBe('BadRequestException');
    expect(noFrom.$metadata?.httpStatusCode).toBe(400);

    const noRecipient = await rejection(
      ses.send(
        new SendEmailCommand({
          FromEmailAddress: 'payguard@example.gov.cn',
          Destination: { ToAddresses: [] },
          Content: { Simple: { Subject: { Data: 's' }, Body: { Text: { Data: 't' } } } },
        }),
      ),
    );
    expect(noRecipient.name).toBe('BadRequestException');

    const injected = await rejection(
      ses.send(
        new SendEmailCommand({
          FromEmailAddress: 'payguard@example.gov.cn',
          Destination: { ToAddresses: ['a@example.gov.cn\r\nBcc: spy@example.com'] },
          Content: { Simple: { Subject: { Data: 's' }, Body: { Text: { Data: 't' } } } },
        }),
      ),
    );
    expect(injected.name).toBe('BadRequestException');

    const malformed = await fetch(`${sesEndpoint.url}/v2/email/outbound-emails`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"Content":',
    });
    expect(malformed.status).toBe(400);
    expect(malformed.headers.get('x-amzn-errortype')).toBe('BadRequestException');
    expect(await malformed.json()).toEqual({ message: 'Malformed JSON request body' });
    expect(sesEndpoint.sent()).toHaveLength(2);
  });

  it('unknown routes answer 404 with a JSON error', async () => {
    const response = await fetch(`${sesEndpoint.url}/v2/email/identities`, { method: 'GET' });
    expect(response.status).toBe(404);
    expect(response.headers.get('x-amzn-errortype')).toBe('UnknownOperationException');
    expect(await response.json()).toMatchObject({ message: expect.stringContaining('/v2/email/identities') });
  });

  it('a restarted outbox continues the numbering instead of overwriting', async () => {
    const again = await startSesOutboxEndpoint(outbox);
    const client = new SESv2Client({ ...clientConfig, endpoint: again.url });
    try {
      await client.send(
        new SendEmailCommand({
          FromEmailAddress: 'payguard@example.gov.cn',
          Destination: { BccAddresses: ['hidden@example.gov.cn'] },
          Content: { Simple: { Subject: { Data: 'Bcc only' }, Body: { Html: { Data: '<p>x</p>' } } } },
        }),
      );
      const [mail] = again.sent();
      expect(mail).toMatchObject({
        sequence: 3,
        eml: '0003-hidden@example.gov.cn.eml',
        bcc: ['hidden@example.gov.cn'],
      });
      const raw = await readFile(join(outbox, mail?.eml ?? ''), 'utf8');
      expect(entity(raw).headers.has('bcc')).toBe(false);
    } finally {
      client.destroy();
      await again.close();
    }
  });
});

describe('handler code reaches the stand-ins through AWS_ENDPOINT_URL_* alone', () => {
  it('clients built without an endpoint use AWS_ENDPOINT_URL_SFN and AWS_ENDPOINT_URL_SESV2', async () => {
    const saved = { sfn: process.env.AWS_ENDPOINT_URL_SFN, ses: process.env.AWS_ENDPOINT_URL_SESV2 };
    process.env.AWS_ENDPOINT_URL_SFN = sfnEndpoint.url;
    process.env.AWS_ENDPOINT_URL_SESV2 = sesEndpoint.url;
    const handlerSfn = new SFNClient(clientConfig);
    const handlerSes = new SESv2Client(clientConfig);
    try {
      const { token, settled } = awaitApproval();
      await handlerSfn.send(new SendTaskSuccessCommand({ taskToken: token, output: '{"via":"env"}' }));
      await expect(settled).resolves.toEqual({ via: 'env' });

      const { MessageId } = await handlerSes.send(
        new SendEmailCommand({
          FromEmailAddress: 'payguard@example.gov.cn',
          Destination: { ToAddresses: ['env@example.gov.cn'] },
          Content: { Simple: { Subject: { Data: '环境变量' }, Body: { Text: { Data: 'ok' } } } },
        }),
      );
      expect(sesEndpoint.sent().at(-1)?.messageId).toBe(MessageId);
    } finally {
      handlerSfn.destroy();
      handlerSes.destroy();
      for (const [key, value] of [
        ['AWS_ENDPOINT_URL_SFN', saved.sfn],
        ['AWS_ENDPOINT_URL_SESV2', saved.ses],
      ] as const) {
        if (value === undefined) delete process.env[key];
        else process.env[key] = value;
      }
    }
  });
});
