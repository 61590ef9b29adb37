import { fileTypeOf } from './upload-types.js';

describe('fileTypeOf', () => {
  it('maps allowed extensions case-insensitively', () => {
    expect(fileTypeOf('IMAGE', 'Photo.JPG')).toEqual({ ext: '.jpg', contentType: 'image/jpeg' });
    expect(fileTypeOf('DOCUMENT', 'report.final.pdf')).toEqual({ ext: '.pdf', contentType: 'application/pdf' });
  });

  it('refuses other kinds, scriptable types and names without an extension', () => {
    expect(fileTypeOf('IMAGE', 'report.pdf')).toBeNull();
    expect(fileTypeOf('IMAGE', 'logo.svg')).toBeNull();
    expect(fileTypeOf('DOCUMENT', 'page.html')).toBeNull();
    expect(fileTypeOf('DOCUMENT', 'run.exe')).toBeNull();
    expect(fileTypeOf('IMAGE', 'png')).toBeNull();
    expect(fileTypeOf('IMAGE', '.png')).toBeNull();
  });
});
