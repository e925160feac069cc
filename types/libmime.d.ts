// The part of libmime (nodemailer's MIME library) the console uses: RFC 2047 encoded words.
declare module 'libmime' {
  const libmime: {
    /** "=?UTF-8?B?…?= text" → the text it encodes; plain text is returned as it is. */
    decodeWords(value: string): string;
  };
  export default libmime;
}
