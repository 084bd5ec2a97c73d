import type { UploadStatus, ValidationOutcome } from './ports.ts';

/**
 * A town officer's personal desk link: one office (town code) and its officer's e-mail, one
 * month, used once to open a session, until it expires or is revoked.
 */
export interface DeskLink {
  /** 128 random bits, base64url (22 characters). */
  readonly linkId: string;
  readonly month: string;
  /** Town code: the batch the town uploads, and the scope of every read and write. */
  readonly town: string;
  readonly officerEmail: string;
  /** Epoch seconds. */
  readonly expiresAt: number;
  readonly issuedAt: string;
  readonly issuedBy: string;
  readonly usedAt?: string;
  readonly revokedAt?: string;
  readonly revokedBy?: string;
}

/** A desk session opened with a link: the cookie names it, every request is scoped by its town. */
export interface DeskSession {
  /** 128 random bits, base64url: the session cookie's value. */
  readonly sessionId: string;
  readonly linkId: string;
  readonly month: string;
  readonly town: string;
  readonly officerEmail: string;
  /** Epoch seconds. */
  readonly expiresAt: number;
  readonly openedAt: string;
  readonly sourceIp: string;
  readonly userAgent: string;
}

/** One upload of a town's roster, as the desk shows it. */
export interface TownUpload {
  readonly uploadId: string;
  readonly month: string;
  readonly batch: string;
  readonly key: string;
  readonly fileName: string;
  readonly order: string;
  readonly size: number;
  readonly status: UploadStatus;
  readonly outcome?: ValidationOutcome;
  readonly failure?: string;
}

/** The desk's links, sessions and the upload records it reads; each change a conditional write. */
export interface DeskStore {
  putLink(link: DeskLink): Promise<void>;
  getLink(linkId: string): Promise<DeskLink | undefined>;
  /** Marks an unused, unrevoked link used; false when it was used or revoked already. */
  useLink(linkId: string, at: string): Promise<boolean>;
  /** Records the link's revocation (its sessions end with it); false when there is no such link. */
  revokeLink(linkId: string, at: string, by: string): Promise<boolean>;
  putSession(session: DeskSession): Promise<void>;
  getSession(sessionId: string): Promise<DeskSession | undefined>;
  /** The uploads of a batch of a month, in upload order. */
  batchUploads(month: string, batch: string): Promise<TownUpload[]>;
  getUpload(uploadId: string): Promise<TownUpload | undefined>;
  /** The staged roster of the batch's current accepted upload of the month, if it has one. */
  acceptedStagedKey(month: string, batch: string): Promise<string | undefined>;
}

/** Signs the PUT of one object, limited to its content type and length (S3 presigned URLs). */
export interface UploadSigner {
  signPut(key: string, contentType: string, contentLength: number, expiresInSeconds: number): Promise<string>;
  /** The origin presigned URLs of `sampleKey` point at (the page's `connect-src`); signs, sends nothing. */
  origin(sampleKey: string): Promise<string>;
}
