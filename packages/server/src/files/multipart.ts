/**
 * A multipart/form-data body already read into memory (so that its signature can be checked on
 * the exact bytes), split into its text fields and its first file.
 */
import { Busboy } from '@fastify/busboy';

export interface MultipartForm {
  fields: Record<string, string>;
  file?: { field: string; name: string; bytes: Buffer };
}

export class MultipartError extends Error {}

export function readMultipart(body: Buffer, contentType: string): Promise<MultipartForm> {
  return new Promise((resolve, reject) => {
    let parser: InstanceType<typeof Busboy>;
    try {
      parser = new Busboy({ headers: { 'content-type': contentType }, limits: { files: 1, fields: 8, fieldSize: 4096, parts: 10 } });
    } catch (error) {
      reject(new MultipartError(`not a multipart/form-data body: ${(error as Error).message}`));
      return;
    }
    const form: MultipartForm = { fields: {} };
    parser.on('field', (name, value) => {
      form.fields[name] = value;
    });
    parser.on('file', (field, stream, filename) => {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        form.file = { field, name: filename, bytes: Buffer.concat(chunks) };
      });
    });
    parser.on('error', (error: Error) => reject(new MultipartError(`unreadable multipart body: ${error.message}`)));
    parser.on('finish', () => resolve(form));
    parser.end(body);
  });
}
