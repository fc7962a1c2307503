import { openZip } from '../../src/enterprises/zip-reader';

/** Every entry of a zip as text (the import's zip reader, without its caps). */
export async function unzipTexts(zip: Buffer): Promise<Map<string, string>> {
  const unlimited = { bytes: Number.MAX_SAFE_INTEGER, label: '' };
  const archive = await openZip(zip, unlimited);
  const texts = new Map<string, string>();
  for (const name of archive.entries.keys()) texts.set(name, (await archive.text(name, unlimited))!);
  return texts;
}
