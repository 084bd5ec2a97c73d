import { randomBytes, randomUUID } from 'node:crypto';
import { mkdir, readdir, rename, writeFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { join } from 'node:path';
import { listenOnLoopback, readBody } from './loopback-server.ts';

/** An attachment of a sent message, without its content (which is in the `.eml`). */
export interface SentAttachment {
  readonly fileName: string;
  readonly contentType: string;
  readonly size: number;
}

/** One message accepted by the SES stand-in, as written to `{eml minus .eml}.json` in the outbox. */
export interface SentMail {
  readonly messageId: string;
  readonly sequence: number;
  readonly from: string;
  readonly to: string[];
  readonly cc: string[];
  /** Recorded here only: like a real message, the `.eml` carries no `Bcc` header. */
  readonly bcc: string[];
  readonly replyTo: string[];
  readonly subject: string;
  readonly text: string | null;
  readonly html: string | null;
  readonly headers: { readonly name: string; readonly value: string }[];
  readonly attachments: SentAttachment[];
  /** ISO 8601 time the stand-in accepted the message. */
  readonly sentAt: string;
  /** File name of the message in the outbox directory. */
  readonly eml: string;
}

/** A running SES v2 stand-in; point `AWS_ENDPOINT_URL_SESV2` at `url`. */
export interface SesOutboxEndpoint {
  readonly url: string;
  /** Messages sent through this endpoint, in sequence order. */
  sent(): SentMail[];
  close(): Promise<void>;
}

const SEND_EMAIL_PATH = '/v2/email/outbound-emails';
/** SES v2 accepts messages up to 40 MB; base64 in JSON inflates attachments by a third. */
const BODY_MAX_BYTES = 64 * 1024 * 1024;
/** Headers the stand-in writes itself; SES does not let `Simple.Headers` override them. */
const RESERVED_HEADERS = new Set([
  'from',
  'to',
  'cc',
  'bcc',
  'reply-to',
  'subject',
  'date',
  'message-id',
  'mime-version',
  'content-type',
  'content-transfer-encoding',
]);

/** A REST-JSON service error: the SDK reads its name from `x-amzn-ErrorType`. */
class ServiceError extends Error {
  constructor(
    readonly type: string,
    message: string,
    readonly status = 400,
  ) {
    super(message);
  }
}

const badRequest = (message: string) => new ServiceError('BadRequestException', message);

type Json = Record<string, unknown>;

interface Attachment {
  readonly fileName: string;
  readonly contentType: string;
  readonly disposition: string;
  readonly contentId: string | undefined;
  readonly description: string | undefined;
  readonly content: Buffer;
}

interface Email {
  readonly from: string;
  readonly to: string[];
  readonly cc: string[];
  readonly bcc: string[];
  readonly replyTo: string[];
  readonly subject: string;
  readonly text: string | null;
  readonly html: string | null;
  readonly headers: { name: string; value: string }[];
  readonly attachments: Attachment[];
}

const isObject = (value: unknown): value is Json =>
  value !== null && typeof value === 'object' && !Array.isArray(value);

function object(value: unknown, path: string): Json | undefined {
  if (value === undefined || value === null) return undefined;
  if (!isObject(value)) throw badRequest(`${path} must be an object`);
  return value;
}

function string(value: unknown, path: string): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw badRequest(`${path} must be a string`);
  return value;
}

function strings(value: unknown, path: string): string[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value) || value.some((item) => typeof item !== 'string')) {
    throw badRequest(`${path} must be a list of strings`);
  }
  return value as string[];
}

/** `Name <local@domain>` or `local@domain` → its addr-spec, or an error like SES's. */
function addrSpec(address: string): string {
  const angle = /<([^<>]*)>\s*$/.exec(address);
  const spec = (angle?.[1] ?? address).trim();
  if (!/^[^\s@<>"]+@[^\s@<>"]+$/.test(spec) || /[\r\n]/.test(address)) {
    throw badRequest(`Illegal address: ${address}`);
  }
  return spec;
}

function parseAttachment(value: unknown, index: number): Attachment {
  const path = `Content.Simple.Attachments[${index}]`;
  const item = object(value, path) ?? {};
  const raw = string(item.RawContent, `${path}.RawContent`);
  const fileName = string(item.FileName, `${path}.FileName`);
  if (raw === undefined || !fileName) throw badRequest(`${path} needs RawContent and FileName`);
  const contentId = string(item.ContentId, `${path}.ContentId`);
  const description = string(item.ContentDescription, `${path}.ContentDescription`);
  for (const field of [fileName, contentId ?? '', description ?? '']) {
    if (/[\r\n]/.test(field)) throw badRequest(`${path} contains a line break`);
  }
  return {
    fileName,
    contentType: string(item.ContentType, `${path}.ContentType`) ?? 'application/octet-stream',
    disposition: (
      string(item.ContentDisposition, `${path}.ContentDisposition`) ?? 'ATTACHMENT'
    ).toLowerCase(),
    contentId,
    description,
    content: Buffer.from(raw, 'base64'),
  };
}

/** Validates a `SendEmail` request body as SES would for `Content.Simple`. */
function parseSendEmail(body: Json): Email {
  const content = object(body.Content, 'Content');
  if (!content) throw badRequest('Content is required');
  if (content.Raw !== undefined || content.Template !== undefined) {
    throw badRequest('The local SES outbox accepts Content.Simple messages only');
  }
  const simple = object(content.Simple, 'Content.Simple');
  if (!simple) throw badRequest('Content.Simple is required');
  const subject = string(
    object(simple.Subject, 'Content.Simple.Subject')?.Data,
    'Content.Simple.Subject.Data',
  );
  if (subject === undefined) throw badRequest('Content.Simple.Subject.Data is required');
  const bodyParts = object(simple.Body, 'Content.Simple.Body');
  const text = string(
    object(bodyParts?.Text, 'Content.Simple.Body.Text')?.Data,
    'Content.Simple.Body.Text.Data',
  );
  const html = string(
    object(bodyParts?.Html, 'Content.Simple.Body.Html')?.Data,
    'Content.Simple.Body.Html.Data',
  );
  if (text === undefined && html === undefined) throw badRequest('Content.Simple.Body needs Text or Html');

  const from = string(body.FromEmailAddress, 'FromEmailAddress');
  if (!from) throw badRequest('Missing FromEmailAddress');
  const destination = object(body.Destination, 'Destination') ?? {};
  const to = strings(destination.ToAddresses, 'Destination.ToAddresses');
  const cc = strings(destination.CcAddresses, 'Destination.CcAddresses');
  const bcc = strings(destination.BccAddresses, 'Destination.BccAddresses');
  const replyTo = strings(body.ReplyToAddresses, 'ReplyToAddresses');
  if (to.length + cc.length + bcc.length === 0) throw badRequest('Missing final destination');
  for (const address of [from, ...to, ...cc, ...bcc, ...replyTo]) addrSpec(address);

  const headers = (Array.isArray(simple.Headers) ? simple.Headers : []).map((value, index) => {
    const path = `Content.Simple.Headers[${index}]`;
    const header = object(value, path) ?? {};
    const name = string(header.Name, `${path}.Name`);
    const headerValue = string(header.Value, `${path}.Value`);
    if (!name || headerValue === undefined) throw badRequest(`${path} needs Name and Value`);
    if (!/^[!-9;-~]+$/.test(name) || /[\r\n]/.test(headerValue)) {
      throw badRequest(`${path} is not a valid header`);
    }
    if (RESERVED_HEADERS.has(name.toLowerCase())) throw badRequest(`Header ${name} cannot be set`);
    return { name, value: headerValue };
  });
  const attachments = (Array.isArray(simple.Attachments) ? simple.Attachments : []).map(parseAttachment);
  return {
    from,
    to,
    cc,
    bcc,
    replyTo,
    subject,
    text: text ?? null,
    html: html ?? null,
    headers,
    attachments,
  };
}

// ---- RFC 5322 / MIME rendering ----

const CRLF = '\r\n';
const needsEncoding = (value: string) => /[^\x20-\x7e]/.test(value);

/** RFC 2047 `B` encoded-words of at most 75 characters, split between code points. */
function encodeWords(value: string): string {
  const words: string[] = [];
  let chunk = '';
  for (const char of value) {
    if (Buffer.byteLength(chunk + char, 'utf8') > 45) {
      words.push(chunk);
      chunk = '';
    }
    chunk += char;
  }
  words.push(chunk);
  return words.map((word) => `=?UTF-8?B?${Buffer.from(word, 'utf8').toString('base64')}?=`).join(`${CRLF} `);
}

const headerText = (value: string) => (needsEncoding(value) ? encodeWords(value) : value);

/** Encodes a non-ASCII display name (`张三 <zhang@example.cn>`); the addr-spec stays as is. */
function headerAddress(address: string): string {
  const match = /^\s*(.*?)\s*<([^<>]*)>\s*$/.exec(address);
  if (!match) return address.trim();
  const name = (match[1] ?? '').replace(/^"(.*)"$/, '$1');
  const spec = match[2] ?? '';
  if (name === '') return `<${spec}>`;
  return `${needsEncoding(name) ? encodeWords(name) : match[1]} <${spec}>`;
}

const addressList = (addresses: string[]) => addresses.map(headerAddress).join(`,${CRLF} `);

function base64Lines(content: Buffer): string {
  return (content.toString('base64').match(/.{1,76}/g) ?? []).join(CRLF);
}

/** RFC 2231 `name*=UTF-8''…` for non-ASCII parameter values, a quoted string otherwise. */
function parameter(name: string, value: string): string {
  if (!needsEncoding(value) && !/["\\]/.test(value)) return `${name}="${value}"`;
  const encoded = encodeURIComponent(value).replace(
    /['()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
  return `${name}*=UTF-8''${encoded}`;
}

const boundary = () => `=_payguard_${randomBytes(12).toString('hex')}`;

/** A MIME entity: its header lines and its (already encoded) body. */
interface Part {
  readonly headers: string[];
  readonly body: string;
}

const textPart = (subtype: 'plain' | 'html', text: string): Part => ({
  headers: [`Content-Type: text/${subtype}; charset=UTF-8`, 'Content-Transfer-Encoding: base64'],
  body: base64Lines(Buffer.from(text, 'utf8')),
});

function multipart(subtype: 'alternative' | 'mixed', parts: Part[]): Part {
  const separator = boundary();
  const body = [
    'This is a multi-part message in MIME format.',
    ...parts.map((part) => `--${separator}${CRLF}${part.headers.join(CRLF)}${CRLF}${CRLF}${part.body}`),
    `--${separator}--`,
    '',
  ].join(CRLF);
  return { headers: [`Content-Type: multipart/${subtype}; boundary="${separator}"`], body };
}

function attachmentPart(attachment: Attachment): Part {
  const headers = [
    `Content-Type: ${attachment.contentType}; ${parameter('name', attachment.fileName)}`,
    'Content-Transfer-Encoding: base64',
    `Content-Disposition: ${attachment.disposition}; ${parameter('filename', attachment.fileName)}`,
  ];
  if (attachment.contentId) headers.push(`Content-ID: <${attachment.contentId.replace(/^<|>$/g, '')}>`);
  if (attachment.description) headers.push(`Content-Description: ${headerText(attachment.description)}`);
  return { headers, body: base64Lines(attachment.content) };
}

/** RFC 5322 date-time in UTC: `Tue, 03 Nov 2026 10:00:00 +0000`. */
const rfc5322Date = (date: Date) => date.toUTCString().replace(/GMT$/, '+0000');

function renderEml(email: Email, messageId: string, sentAt: Date): string {
  const bodies: Part[] = [];
  if (email.text !== null) bodies.push(textPart('plain', email.text));
  if (email.html !== null) bodies.push(textPart('html', email.html));
  const [single] = bodies;
  let body = bodies.length === 1 && single ? single : multipart('alternative', bodies);
  if (email.attachments.length > 0) {
    body = multipart('mixed', [body, ...email.attachments.map(attachmentPart)]);
  }
  const headers = [
    `From: ${headerAddress(email.from)}`,
    ...(email.to.length > 0 ? [`To: ${addressList(email.to)}`] : []),
    ...(email.cc.length > 0 ? [`Cc: ${addressList(email.cc)}`] : []),
    ...(email.replyTo.length > 0 ? [`Reply-To: ${addressList(email.replyTo)}`] : []),
    `Subject: ${headerText(email.subject)}`,
    `Date: ${rfc5322Date(sentAt)}`,
    `Message-ID: <${messageId}@outbox.payguard.local>`,
    ...email.headers.map((header) => `${header.name}: ${headerText(header.value)}`),
    'MIME-Version: 1.0',
    ...body.headers,
  ];
  return `${headers.join(CRLF)}${CRLF}${CRLF}${body.body}${CRLF}`;
}

// ---- outbox files ----

/** The first recipient's addr-spec, reduced to characters safe in a file name. */
function recipientSlug(email: Email): string {
  const first = email.to[0] ?? email.cc[0] ?? email.bcc[0] ?? 'unknown';
  const slug = addrSpec(first)
    .toLowerCase()
    .replace(/[^a-z0-9@._+-]/g, '_')
    .slice(0, 64);
  return slug || 'recipient';
}

async function writeAtomically(path: string, content: string): Promise<void> {
  const temporary = `${path}.${randomBytes(4).toString('hex')}.tmp`;
  await writeFile(temporary, content, 'utf8');
  await rename(temporary, path);
}

/** Next sequence number after the messages already in the outbox, so runs never overwrite. */
async function nextSequence(outboxDir: string): Promise<number> {
  let highest = 0;
  for (const name of await readdir(outboxDir)) {
    const match = /^(\d+)-.*\.eml$/.exec(name);
    if (match) highest = Math.max(highest, Number(match[1]));
  }
  return highest + 1;
}

/** SES-looking message ID: time in hex, a UUID and a suffix. */
const newMessageId = () => `${Date.now().toString(16).padStart(16, '0')}-${randomUUID()}-000000`;

// ---- HTTP ----

function send(response: ServerResponse, status: number, body: unknown, errorType?: string): void {
  const text = JSON.stringify(body);
  response.writeHead(status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(text),
    'x-amzn-requestid': randomUUID(),
    ...(errorType ? { 'x-amzn-errortype': errorType } : {}),
  });
  response.end(text);
}

/**
 * Starts a loopback SES v2 stand-in serving `SendEmail` (REST-JSON `POST /v2/email/outbound-emails`
 * with `Content.Simple`). Each accepted message is written to `outboxDir` as
 * `{0001}-{first recipient}.eml` (RFC 5322, MIME, UTF-8, base64 bodies, RFC 2047 headers) and a
 * `.json` twin holding its `SentMail` fields. The real `@aws-sdk/client-sesv2` reaches it through
 * `AWS_ENDPOINT_URL_SESV2`; invalid requests make it throw `BadRequestException`.
 */
export async function startSesOutboxEndpoint(outboxDir: string): Promise<SesOutboxEndpoint> {
  await mkdir(outboxDir, { recursive: true });
  let sequence = await nextSequence(outboxDir);
  const messages: SentMail[] = [];

  async function sendEmail(body: Buffer): Promise<{ MessageId: string }> {
    let parsed: unknown;
    try {
      parsed = JSON.parse(body.toString('utf8'));
    } catch {
      throw badRequest('Malformed JSON request body');
    }
    if (!isObject(parsed)) throw badRequest('Request body must be a JSON object');
    const email = parseSendEmail(parsed);
    const messageId = newMessageId();
    const sentAt = new Date();
    const number = sequence++;
    const base = `${String(number).padStart(4, '0')}-${recipientSlug(email)}`;
    const mail: SentMail = {
      messageId,
      sequence: number,
      from: email.from,
      to: email.to,
      cc: email.cc,
      bcc: email.bcc,
      replyTo: email.replyTo,
      subject: email.subject,
      text: email.text,
      html: email.html,
      headers: email.headers,
      attachments: email.attachments.map((a) => ({
        fileName: a.fileName,
        contentType: a.contentType,
        size: a.content.length,
      })),
      sentAt: sentAt.toISOString(),
      eml: `${base}.eml`,
    };
    await writeAtomically(join(outboxDir, mail.eml), renderEml(email, messageId, sentAt));
    await writeAtomically(join(outboxDir, `${base}.json`), `${JSON.stringify(mail, null, 2)}\n`);
    messages.push(mail);
    messages.sort((a, b) => a.sequence - b.sequence);
    return { MessageId: messageId };
  }

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    try {
      const body = await readBody(
        request,
        BODY_MAX_BYTES,
        () => new ServiceError('MessageRejected', 'Message length is more than 40 MB'),
      );
      const path = new URL(request.url ?? '/', 'http://127.0.0.1').pathname;
      if (request.method !== 'POST' || path !== SEND_EMAIL_PATH) {
        throw new ServiceError(
          'UnknownOperationException',
          `The local SES outbox does not serve ${request.method} ${path}`,
          404,
        );
      }
      send(response, 200, await sendEmail(body));
    } catch (error) {
      if (error instanceof ServiceError) {
        send(response, error.status, { message: error.message }, error.type);
      } else {
        const message = error instanceof Error ? error.message : String(error);
        send(response, 500, { message }, 'InternalFailure');
      }
    }
  }

  const server = createServer((request, response) => {
    void handle(request, response);
  });
  const { url, close } = await listenOnLoopback(server);
  return { url, sent: () => [...messages], close };
}
