// Minimal declarations for the two local stand-ins, which ship none.

declare module '@20minutes/s3rver' {
  import type { EventEmitter } from 'node:events';

  interface S3rverOptions {
    address?: string;
    port?: number;
    silent?: boolean;
    directory?: string;
    allowMismatchedSignatures?: boolean;
    resetOnClose?: boolean;
    /** Bucket configurations as S3 XML documents (CORSConfiguration, WebsiteConfiguration). */
    configureBuckets?: { name: string; configs?: (string | Buffer)[] }[];
  }
  export default class S3rver extends EventEmitter {
    constructor(options: S3rverOptions);
    run(): Promise<unknown>;
    close(): Promise<void>;
  }
}

declare module 'dynalite' {
  import type { Server } from 'node:http';
  export default function dynalite(options?: {
    createTableMs?: number;
    deleteTableMs?: number;
    updateTableMs?: number;
    path?: string;
  }): Server;
}

// The model of an object and of its event, with which the S3 stand-in stores a local file as an
// object and tells its event as s3rver's PUT does (`stand-in-servers.ts`, `importFile`).
declare module '@20minutes/s3rver/lib/models/object.js' {
  export default class S3Object {
    constructor(bucket: string, key: string, content: unknown, metadata: Record<string, string | number>);
  }
}

declare module '@20minutes/s3rver/lib/models/event.js' {
  export default class S3Event {
    constructor(
      eventData: { bucket: string; eventType: 'Put'; S3Item: unknown },
      request: { reqHeaders: { host: string }; sourceIp: string },
    );
    readonly Records: unknown[];
  }
}
