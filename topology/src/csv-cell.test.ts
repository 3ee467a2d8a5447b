import { describe, expect, it } from 'vitest';
import { csvCell, csvTable } from './csv-cell';

describe('csvCell', () => {
  it.each([
    ['plain', 'plain'],
    ['a,b', '"a,b"'],
    ['say "hi"', '"say ""hi"""'],
    ['=HYPERLINK("http://evil")', `"'=HYPERLINK(""http://evil"")"`],
    ['+1', `"'+1"`],
    ['-2+3', `"'-2+3"`],
    ['@SUM(A1)', `"'@SUM(A1)"`],
    ['\tx', `"'\tx"`],
    ['\rx', `"'\rx"`],
    ['10.64.0.0/17', '10.64.0.0/17'],
    [null, ''],
    [42, '42'],
  ])('%j → %s', (input, out) => expect(csvCell(input)).toBe(out));

  it('joins a table with a header and CRLF', () => {
    expect(csvTable(['a', 'b'], [[1, '=x']])).toBe(`a,b\r\n1,"'=x"\r\n`);
  });
});
