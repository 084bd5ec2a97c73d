import { createHash } from 'node:crypto';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { standInS3Client } from '#local/cli/stand-in-s3-client.ts';

/** A loopback server that answers every PUT with 200 and keeps what it received. */
const received: { headers: IncomingHttpHeaders; body: Buffer }[] = [];
const server = createServer((request, response) => {
  const chunks: Buffer[] = [];
  request.on('data', (chunk: Buffer) => chunks.push(chunk));
  request.on('end', () => {
    received.push({ headers: request.headers, body: Buffer.concat(chunks) });
    response.writeHead(200, { ETag: '"x"' }).end();
  });
});
let endpoint: string;

beforeAll(async () => {
  // As the embedded stack sets them for its clients.
  vi.stubEnv('AWS_REGION', 'us-east-1');
  vi.stubEnv('AWS_ACCESS_KEY_ID', 'S3RVER');
  vi.stubEnv('AWS_SECRET_ACCESS_KEY', 'S3RVER');
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  vi.unstubAllEnvs();
  await new Promise((resolve) => server.close(resolve));
});

describe('standInS3Client', () => {
  it('puts the body unchanged without hashing it for the signature, where a plain client hashes it', async () => {
    // Prepare
    const body = Buffer.from('id_number,name\n442000196001010011,张三\n'.repeat(1000));
    const put = new PutObjectCommand({ Bucket: 'payguard-data', Key: 'partners/x.csv', Body: body });
    const standIn = standInS3Client(endpoint);
    const plain = new S3Client({ endpoint, forcePathStyle: true });

    // Act
    received.length = 0;
    await standIn.send(put);
    await plain.send(new PutObjectCommand({ ...put.input }));

    // Assess
    const [unsigned, signed] = received;
    expect(unsigned?.headers['x-amz-content-sha256']).toBe('UNSIGNED-PAYLOAD');
    expect(unsigned?.headers.authorization).toContain('x-amz-content-sha256');
    expect(unsigned?.body.equals(body)).toBe(true);
    expect(signed?.headers['x-amz-content-sha256']).toBe(createHash('sha256').update(body).digest('hex'));
    standIn.destroy();
    plain.destroy();
  });
});
