import { DatabaseError } from 'pg-protocol';
import { QueryFailedError } from 'typeorm';
import { describeLoggableError, loggableError } from './error-redaction';

/** A PostgreSQL error as pg's protocol parser builds it from the server's ErrorResponse. */
function pgError(message: string, fields: Record<string, string>): DatabaseError {
  const error = new DatabaseError(message, 100, 'error');
  Object.assign(error, { severity: 'ERROR', file: 'x.c', line: '1', routine: 'r', ...fields });
  return error;
}

const PERSON = ['Айгерим Нурланова', '090417600123', '2009-04-17', 'ул. Абая, д. 10', '+77011234567'];

describe('loggableError', () => {
  it('keeps neither the statement parameters nor the row a constraint refused', () => {
    const driver = pgError('new row for relation "subjects" violates check constraint "subjects_ok"', {
      code: '23514',
      detail: `Failing row contains (${PERSON.join(', ')}).`,
      schema: 'prevention',
      table: 'subjects',
      constraint: 'subjects_ok',
    });
    const error = new QueryFailedError('INSERT INTO subjects VALUES ($1, $2, $3, $4, $5)', PERSON, driver);

    const logged = loggableError(error);

    expect(logged).toMatchObject({
      type: 'QueryFailedError',
      code: '23514',
      schema: 'prevention',
      table: 'subjects',
      constraint: 'subjects_ok',
      message: 'new row for relation "subjects" violates check constraint "subjects_ok"',
    });
    expect(logged.stack).toMatch(/^QueryFailedError: new row for relation[^\n]*\n\s+at /);
    const text = JSON.stringify(logged);
    for (const value of PERSON) expect(text).not.toContain(value);
    expect(text).not.toMatch(/parameters|detail|INSERT/);
  });

  it('cuts the quoted value from a data exception', () => {
    const driver = pgError('invalid input syntax for type uuid: "Айгерим Нурланова"', { code: '22P02' });
    const error = new QueryFailedError('SELECT $1::uuid', ['Айгерим Нурланова'], driver);

    expect(loggableError(error)).toMatchObject({
      message: 'invalid input syntax for type uuid',
      code: '22P02',
    });
    expect(JSON.stringify(loggableError(error))).not.toContain('Айгерим');
    expect(describeLoggableError(error)).toBe(
      'QueryFailedError: invalid input syntax for type uuid (SQLSTATE 22P02)',
    );
    expect(describeLoggableError(driver)).toBe(
      'DatabaseError: invalid input syntax for type uuid (SQLSTATE 22P02)',
    );
  });

  it('keeps neither the body nor the text quoted by a JSON syntax error', () => {
    const body = '{"name": Айгерим}';
    let syntax: Error;
    try {
      JSON.parse(body);
      throw new Error('parsed');
    } catch (error) {
      syntax = error as Error;
    }
    // body-parser's refusal of the same body.
    const refused = Object.assign(new SyntaxError(syntax.message), {
      type: 'entity.parse.failed',
      body,
      status: 400,
    });

    expect(loggableError(refused)).toMatchObject({ message: 'request body is not valid JSON', status: 400 });
    expect(JSON.stringify(loggableError(refused))).not.toContain('Айгерим');
    expect(JSON.stringify(loggableError(syntax))).not.toContain('Айгерим');
  });

  it('keeps the causes, each redacted', () => {
    const driver = pgError('value too long for type character varying(12): "090417600123x"', {
      code: '22001',
    });
    const error = new Error('case not stored', { cause: driver });

    const logged = loggableError(error);

    expect(logged).toMatchObject({
      type: 'Error',
      message: 'case not stored',
      cause: {
        type: 'DatabaseError',
        code: '22001',
        message: 'value too long for type character varying(12)',
      },
    });
  });
});
