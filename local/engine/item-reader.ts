import { parse } from 'csv-parse/sync';
import type { StateMachineBucket } from '#local/stand-ins/state-machine-bucket.ts';

/**
 * A distributed Map's `ItemReader`, read the way Step Functions documents it
 * (https://docs.aws.amazon.com/step-functions/latest/dg/input-output-itemreader.html):
 * `arn:aws:states:::s3:getObject` reads one object — `ReaderConfig.InputType` `JSON` (an array),
 * `JSONL` (one value a line) or `CSV` (`CSVHeaderLocation` `FIRST_ROW`, or `GIVEN` with
 * `CSVHeaders`; every value a string) — and `arn:aws:states:::s3:listObjectsV2` lists the objects
 * under a prefix (`{ Etag, Key, LastModified, Size, StorageClass }` each). `MaxItems` keeps the
 * first items. Any failure to read the items is `States.ItemReaderFailed`.
 */
export interface ItemReaderField {
  readonly Resource: string;
  readonly Parameters?: unknown;
  readonly ReaderConfig?: {
    readonly InputType?: string;
    readonly CSVHeaderLocation?: string;
    readonly CSVHeaders?: readonly string[];
    readonly CSVDelimiter?: string;
    readonly MaxItems?: number;
  };
}

/** The error of a Map state whose items could not be read. */
export class ItemReaderFailed extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'States.ItemReaderFailed';
  }
}

const GET_OBJECT = 'arn:aws:states:::s3:getObject';
const LIST_OBJECTS = 'arn:aws:states:::s3:listObjectsV2';

const DELIMITERS: Readonly<Record<string, string>> = {
  COMMA: ',',
  PIPE: '|',
  SEMICOLON: ';',
  SPACE: ' ',
  TAB: '\t',
};

function fromJson(text: string, key: string): unknown[] {
  const value: unknown = JSON.parse(text);
  if (!Array.isArray(value)) throw new ItemReaderFailed(`${key} does not hold a JSON array`);
  return value;
}

function fromJsonLines(text: string): unknown[] {
  return text
    .split(/\r?\n/)
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as unknown);
}

function fromCsv(text: string, config: NonNullable<ItemReaderField['ReaderConfig']>, key: string): unknown[] {
  const delimiter = DELIMITERS[config.CSVDelimiter ?? 'COMMA'];
  if (delimiter === undefined) throw new ItemReaderFailed(`unknown CSVDelimiter ${config.CSVDelimiter}`);
  const location = config.CSVHeaderLocation ?? 'FIRST_ROW';
  if (location === 'GIVEN' && !config.CSVHeaders?.length) {
    throw new ItemReaderFailed(`${key}: CSVHeaderLocation GIVEN needs CSVHeaders`);
  }
  if (location !== 'FIRST_ROW' && location !== 'GIVEN') {
    throw new ItemReaderFailed(`unknown CSVHeaderLocation ${location}`);
  }
  return parse(text, {
    columns: location === 'GIVEN' ? [...(config.CSVHeaders ?? [])] : true,
    delimiter,
    skip_empty_lines: true,
    bom: true,
  }) as Record<string, string>[];
}

/**
 * The items `reader` names (its `Parameters` already evaluated against the state's input), read
 * as `workflow`'s state machine.
 * @throws ItemReaderFailed when the object is missing, refused, or not of its `InputType`.
 */
export async function readItems(
  workflow: string,
  reader: ItemReaderField,
  parameters: { Bucket?: unknown; Key?: unknown; Prefix?: unknown },
  bucket: StateMachineBucket,
): Promise<unknown[]> {
  const config = reader.ReaderConfig ?? {};
  const name = typeof parameters.Bucket === 'string' ? parameters.Bucket : '';
  if (name === '') throw new ItemReaderFailed('ItemReader Parameters name no Bucket');
  let items: unknown[];
  try {
    if (reader.Resource === LIST_OBJECTS) {
      const prefix = typeof parameters.Prefix === 'string' ? parameters.Prefix : '';
      items = (await bucket.listObjects(workflow, name, prefix)).map((o) => ({
        Etag: o.ETag,
        Key: o.Key,
        LastModified: Math.floor(o.LastModified.getTime() / 1000),
        Size: o.Size,
        StorageClass: o.StorageClass,
      }));
    } else if (reader.Resource === GET_OBJECT) {
      const key = typeof parameters.Key === 'string' ? parameters.Key : '';
      if (key === '') throw new ItemReaderFailed('ItemReader Parameters name no Key');
      const text = new TextDecoder('utf-8', { fatal: true }).decode(
        await bucket.getObject(workflow, name, key),
      );
      const type = config.InputType;
      if (type === 'JSON') items = fromJson(text, key);
      else if (type === 'JSONL') items = fromJsonLines(text);
      else if (type === 'CSV') items = fromCsv(text, config, key);
      else
        throw new ItemReaderFailed(
          `ReaderConfig.InputType ${type ?? '(none)'} is not read by the local engine`,
        );
    } else {
      throw new ItemReaderFailed(`ItemReader Resource ${reader.Resource} is not read by the local engine`);
    }
  } catch (error) {
    if (error instanceof ItemReaderFailed) throw error;
    const e = error as Error;
    throw new ItemReaderFailed(`the items could not be read: ${e.name}: ${e.message}`);
  }
  return config.MaxItems !== undefined && config.MaxItems > 0 ? items.slice(0, config.MaxItems) : items;
}
