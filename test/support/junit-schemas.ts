import { readFileSync } from 'node:fs';
import path from 'node:path';
import { validateXML } from 'xmllint-wasm';

const dir = path.resolve(import.meta.dirname, '../fixtures/junit');
const JENKINS = readFileSync(path.join(dir, 'jenkins-junit-10.xsd'), 'utf8');
const WINDYROAD = readFileSync(path.join(dir, 'windyroad-junit.xsd'), 'utf8');

/** The summary attributes evalgate puts on `<testsuites>`, which Windy Road's schema does not allow there (docs/reports.md). */
export const TESTSUITES_SUMMARY_ATTRIBUTES = ['name', 'tests', 'failures', 'errors', 'time'];

async function errorsAgainst(schema: string, xml: string): Promise<string[]> {
  const result = await validateXML({ xml: [{ fileName: 'junit.xml', contents: xml }], schema: [{ fileName: 'junit.xsd', contents: schema }] });
  return result.errors.map((e) => e.rawMessage);
}

/**
 * A junit.xml checked against the published schemas in test/fixtures/junit (see its README):
 * Jenkins xUnit's junit-10.xsd as it is, and Windy Road's JUnit.xsd once and with `<testsuites>`'
 * summary attributes removed (the one place evalgate knowingly departs from it).
 */
export async function validateJunit(xml: string): Promise<{ jenkins: string[]; windyroad: string[]; windyroadWithoutSummary: string[] }> {
  const withoutSummary = xml.replace(/<testsuites\b[^>]*>/, '<testsuites>');
  return {
    jenkins: await errorsAgainst(JENKINS, xml),
    windyroad: await errorsAgainst(WINDYROAD, xml),
    windyroadWithoutSummary: await errorsAgainst(WINDYROAD, withoutSummary),
  };
}
