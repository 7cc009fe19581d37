using System.Buffers;
using System.Globalization;
using System.Text;
using XmlRpc.Internal;
using XmlRpc.Protocol;

namespace XmlRpc;

/// <summary>Parses XML-RPC documents: what CPython's <c>xmlrpc.client.loads</c> accepts, decoded to the same values; safe by default.</summary>
/// <remarks>
/// <para>
/// Accepted like CPython (reference: <c>docs/cpython-wire.md</c> §2 and Appendix B): untyped
/// <c>&lt;value&gt;text&lt;/value&gt;</c> as a string with its white space, empty values as <c>""</c>, text around a typed
/// child ignored, every type tag CPython reads (<c>i1 i2 i4 i8 int biginteger double float bigdecimal nil</c> ...) with any
/// <c>prefix:</c> and no namespace declaration needed, CDATA, comments, processing instructions, character and predefined
/// entity references, attributes (ignored), UTF-8 with or without byte order mark, UTF-16 with a byte order mark (or
/// beginning with <c>&lt;?</c>), and single-byte encodings named in the declaration (ISO-8859-x, windows-125x, ASCII),
/// decoded with CPython's codec tables as pyexpat does (a byte CPython's codec leaves undefined, such as 0x81 in
/// windows-1252, is an invalid token).
/// A declared encoding must agree with the bytes, as expat requires: after a UTF-16 byte order mark only <c>UTF-16</c>
/// and the name of that byte order (<c>UTF-16LE</c>/<c>UTF-16BE</c>, any case) are accepted, after a UTF-8 byte order mark
/// only UTF-8. Integers follow Python's
/// <c>int()</c>, doubles Python's <c>float()</c>, booleans must be exactly <c>0</c> or <c>1</c>, base64 is decoded as
/// leniently as <c>base64.decodebytes</c>, and dateTime text is kept (stripped) like <c>DateTime.value</c>.
/// </para>
/// <para>
/// Refused with <see cref="XmlRpcParseException"/> (line and position included): everything CPython refuses, plus
/// DTDs (CPython's expat expands internal entities; we refuse any DOCTYPE, so no entity expansion and no external
/// entity can happen), struct member names that are not strings (CPython builds <c>{1: 'a'}</c> for a value before its
/// name), and documents beyond the <see cref="XmlRpcParserOptions"/> limits. The parser is a single iterative pass over
/// the bytes: deep nesting cannot overflow the stack.
/// </para>
/// <para>
/// Also refused, where CPython 3.11 reads the document: a UTF-8 byte order mark with a declaration naming another encoding
/// (expat ignores the declaration and reads <c>encoding='iso-8859-1'</c> text as UTF-8), and UTF-16 without a byte order mark that does not
/// begin with <c>&lt;?</c> (expat guesses the byte order from the first character).
/// </para>
/// </remarks>
public sealed class XmlRpcParser
{
    /// <summary>Creates a parser.</summary>
    public XmlRpcParser(XmlRpcParserOptions? options = null)
    {
        Options = options ?? XmlRpcParserOptions.Default;
        if (Options.MaxDocumentBytes < 1 || Options.MaxDepth < 1 || Options.MaxStringLength < 0 || Options.MaxBase64Length < 0
            || Options.MaxCollectionCount < 1 || Options.MaxIntegerDigits < 1)
        {
            throw new ArgumentException("Every limit of XmlRpcParserOptions must be positive.", nameof(options));
        }
    }

    private static ReadOnlySpan<byte> Utf8Bom => [0xEF, 0xBB, 0xBF];

    private static ReadOnlySpan<byte> Utf16LeBom => [0xFF, 0xFE];

    private static ReadOnlySpan<byte> Utf16BeBom => [0xFE, 0xFF];

    private static ReadOnlySpan<byte> Utf32LeBom => [0xFF, 0xFE, 0x00, 0x00];

    private static ReadOnlySpan<byte> Utf32BeBom => [0x00, 0x00, 0xFE, 0xFF];

    /// <summary>A parser with <see cref="XmlRpcParserOptions.Default"/>.</summary>
    public static XmlRpcParser Default { get; } = new();

    /// <summary>The options.</summary>
    public XmlRpcParserOptions Options { get; }

    /// <summary>Python's <c>float(text)</c>: white space around, a sign, <c>_</c> between digits, <c>inf</c>, <c>infinity</c>, <c>nan</c> in any case.</summary>
    public static bool TryParseDouble(ReadOnlySpan<char> text, out double value) => PythonFloat.TryParse(text, out value);

    /// <summary>Parses a document (bytes as received).</summary>
    /// <exception cref="XmlRpcParseException">The document is not an XML-RPC message, or exceeds a limit.</exception>
    public XmlRpcMessage Parse(ReadOnlySpan<byte> document)
    {
        if (document.Length > Options.MaxDocumentBytes)
        {
            throw TooLarge();
        }

        // Expat cannot tell the encoding from one byte that may start a byte order mark or UTF-16 (or from EF BB): unclosed.
        if ((document.Length == 1 && document[0] is 0x00 or 0xEF or 0xFE or 0xFF) || document.SequenceEqual((ReadOnlySpan<byte>)[0xEF, 0xBB]))
        {
            throw new XmlRpcParseException("unclosed token", XmlRpcParseErrorKind.NotWellFormed, 1, 1)
            {
                PythonType = "xml.parsers.expat.ExpatError",
                PythonMessage = "unclosed token: line 1, column 0",
            };
        }

        // Byte order marks and UTF-16 (XML 1.0 Appendix F).
        if (document.StartsWith(Utf8Bom))
        {
            return ParseUtf8(document[3..], DocumentOrigin.Utf8Bom);
        }

        if (document.StartsWith(Utf32LeBom) || document.StartsWith(Utf32BeBom))
        {
            throw new XmlRpcParseException("UTF-32 documents are not supported", XmlRpcParseErrorKind.UnsupportedEncoding, 1, 1);
        }

        if (document.StartsWith(Utf16LeBom))
        {
            return ParseUtf16(document[2..], bigEndian: false, bom: true);
        }

        if (document.StartsWith(Utf16BeBom))
        {
            return ParseUtf16(document[2..], bigEndian: true, bom: true);
        }

        // Expat's guess without a byte order mark: a NUL first byte is UTF-16BE, a NUL second byte UTF-16LE
        // (a document entity starts with ASCII, and NUL is no XML character).
        if (document.Length >= 2 && (document[0] == 0 || document[1] == 0))
        {
            return ParseUtf16(document, bigEndian: document[0] == 0, bom: false);
        }

        return ParseUtf8(document, DocumentOrigin.Bytes);
    }

    /// <summary>Parses a document given as text; the encoding named in its declaration is ignored (CPython's <c>loads(str)</c> does the same).</summary>
    /// <remarks>One leading U+FEFF is taken as a byte order mark and skipped, as CPython's <c>loads(str)</c> (expat) does; a second one is text before the root element.</remarks>
    /// <exception cref="XmlRpcParseException">The document is not an XML-RPC message, or exceeds a limit.</exception>
    public XmlRpcMessage Parse(string document)
    {
        ArgumentNullException.ThrowIfNull(document);
        var text = document.AsSpan();
        if (text.Length > 0 && text[0] == '\uFEFF')
        {
            text = text[1..];
        }

        var utf8 = Transcode(text);
        try
        {
            return ParseUtf8(utf8.Bytes, DocumentOrigin.Decoded);
        }
        finally
        {
            utf8.Dispose();
        }
    }

    /// <summary>Parses a <c>&lt;methodCall&gt;</c>.</summary>
    /// <exception cref="XmlRpcParseException">Not a call, not well-formed, or beyond a limit.</exception>
    public XmlRpcRequest ParseRequest(ReadOnlySpan<byte> document) => Parse(document).ToRequest();

    /// <summary>Parses a <c>&lt;methodResponse&gt;</c> (a fault is returned, not thrown).</summary>
    /// <exception cref="XmlRpcParseException">Not a response, not well-formed, or beyond a limit.</exception>
    public XmlRpcResponse ParseResponse(ReadOnlySpan<byte> document) => Parse(document).ToResponse();

    /// <summary>Reads a stream to its end (at most <see cref="XmlRpcParserOptions.MaxDocumentBytes"/>) and parses it.</summary>
    /// <exception cref="XmlRpcParseException">Not an XML-RPC message, or beyond a limit (the stream is not read further).</exception>
    public async ValueTask<XmlRpcMessage> ParseAsync(Stream stream, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(stream);
        var buffer = ArrayPool<byte>.Shared.Rent(16 * 1024);
        var length = 0;
        try
        {
            while (true)
            {
                if (length == buffer.Length)
                {
                    if (length > Options.MaxDocumentBytes)
                    {
                        throw TooLarge();
                    }

                    if (length >= Array.MaxLength)
                    {
                        // No array can grow further (MaxDocumentBytes is above Array.MaxLength): the document fits only if the stream ends here.
                        if (await stream.ReadAsync(new byte[1], cancellationToken).ConfigureAwait(false) == 0)
                        {
                            break;
                        }

                        throw new XmlRpcParseException(
                            $"The document is larger than the largest array ({Array.MaxLength.ToString(CultureInfo.InvariantCulture)} bytes)",
                            XmlRpcParseErrorKind.LimitExceeded,
                            0,
                            0);
                    }

                    var next = ArrayPool<byte>.Shared.Rent((int)Math.Min((long)buffer.Length * 2, Array.MaxLength));
                    buffer.AsSpan(0, length).CopyTo(next);
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = next;
                }

                // Read at most one byte past the limit (that byte proves the document too large); in long arithmetic,
                // because MaxDocumentBytes + 1 overflows when the limit is int.MaxValue.
                var count = (int)Math.Min(buffer.Length - length, (long)Options.MaxDocumentBytes + 1 - length);
                var read = await stream.ReadAsync(buffer.AsMemory(length, count), cancellationToken).ConfigureAwait(false);
                if (read == 0)
                {
                    break;
                }

                length += read;
                if (length > Options.MaxDocumentBytes)
                {
                    throw TooLarge();
                }
            }

            return Parse(buffer.AsSpan(0, length));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>Reads and parses a <c>&lt;methodCall&gt;</c> from a stream.</summary>
    /// <exception cref="XmlRpcParseException">Not a call, not well-formed, or beyond a limit.</exception>
    public async ValueTask<XmlRpcRequest> ParseRequestAsync(Stream stream, CancellationToken cancellationToken = default) =>
        (await ParseAsync(stream, cancellationToken).ConfigureAwait(false)).ToRequest();

    /// <summary>Reads and parses a <c>&lt;methodResponse&gt;</c> from a stream (a fault is returned, not thrown).</summary>
    /// <exception cref="XmlRpcParseException">Not a response, not well-formed, or beyond a limit.</exception>
    public async ValueTask<XmlRpcResponse> ParseResponseAsync(Stream stream, CancellationToken cancellationToken = default) =>
        (await ParseAsync(stream, cancellationToken).ConfigureAwait(false)).ToResponse();

    private XmlRpcParseException TooLarge() => new(
        $"The document is larger than MaxDocumentBytes ({Options.MaxDocumentBytes.ToString(CultureInfo.InvariantCulture)} bytes)",
        XmlRpcParseErrorKind.LimitExceeded,
        0,
        0);

    private XmlRpcMessage ParseUtf8(ReadOnlySpan<byte> document, DocumentOrigin origin)
    {
        var state = ParserState.Rent();
        try
        {
            var reader = new DocumentReader(document, Options, state, origin);
            var message = reader.Read();
            if (message is not null)
            {
                return message;
            }

            var name = reader.RequiredEncoding!;
            var encoding = Encodings.Find(name, EncoderFallback.ExceptionFallback, DecoderFallback.ExceptionFallback)
                ?? throw new XmlRpcParseException($"unknown encoding: {name}", XmlRpcParseErrorKind.UnsupportedEncoding, 1, 1)
                {
                    PythonType = "LookupError",
                    PythonMessage = "unknown encoding: " + name,
                };
            if (!encoding.IsSingleByte)
            {
                throw new XmlRpcParseException($"multi-byte encodings are not supported ({name})", XmlRpcParseErrorKind.UnsupportedEncoding, 1, 1)
                {
                    PythonType = "ValueError",
                    PythonMessage = "multi-byte encodings are not supported",
                };
            }

            ParserState.Return(state);
            state = null;

            // CPython's table, not .NET's: bytes the Python codec leaves undefined are invalid tokens for pyexpat, which
            // reads the document in order: an error before the first such byte (an XML-RPC one too) is reported first.
            var codec = SingleByteCodec.For(encoding);
            if (!codec.TryDecode(document, out var text, out var bad))
            {
                var (line, column) = LineAndColumn(text, bad);
                try
                {
                    ParseText(text, DocumentOrigin.Decoded);
                }
                catch (XmlRpcParseException e) when (e.LineNumber < line || (e.LineNumber == line && e.LinePosition < column))
                {
                    throw;
                }
                catch (XmlRpcParseException)
                {
                    // At or after the undefined byte: the byte is the error.
                }

                throw new XmlRpcParseException(
                    $"not well-formed (invalid token): byte 0x{document[bad].ToString("X2", CultureInfo.InvariantCulture)} is undefined in {name}",
                    XmlRpcParseErrorKind.InvalidCharacter,
                    line,
                    column)
                {
                    // One byte is one character in an 8-bit encoding: expat's 0-based column is the 1-based position less one.
                    PythonType = "xml.parsers.expat.ExpatError",
                    PythonMessage = string.Format(CultureInfo.InvariantCulture, "not well-formed (invalid token): line {0}, column {1}", line, column - 1),
                };
            }

            return ParseText(text, DocumentOrigin.Decoded);
        }
        finally
        {
            if (state is not null)
            {
                ParserState.Return(state);
            }
        }
    }

    /// <summary>
    /// UTF-16, read in document order as expat does: an unpaired surrogate is an invalid token and an odd last byte an
    /// unclosed token, each reported unless the document has an earlier error (an XML-RPC one too).
    /// </summary>
    private XmlRpcMessage ParseUtf16(ReadOnlySpan<byte> document, bool bigEndian, bool bom)
    {
        var origin = (bigEndian, bom) switch
        {
            (true, true) => DocumentOrigin.Utf16BigEndianBom,
            (true, false) => DocumentOrigin.Utf16BigEndian,
            (false, true) => DocumentOrigin.Utf16LittleEndianBom,
            (false, false) => DocumentOrigin.Utf16LittleEndian,
        };
        var units = new char[document.Length / 2];
        var bad = -1;
        for (var i = 0; i < units.Length; i++)
        {
            units[i] = (char)(bigEndian ? (document[2 * i] << 8) | document[(2 * i) + 1] : document[2 * i] | (document[(2 * i) + 1] << 8));
        }

        for (var i = 0; i < units.Length; i++)
        {
            var paired = char.IsHighSurrogate(units[i]) ? i + 1 < units.Length && char.IsLowSurrogate(units[i + 1]) : !char.IsLowSurrogate(units[i]);
            if (!paired)
            {
                // U+0001 is no XML character: the reader stops there with expat's invalid token.
                units[i] = '\u0001';
                bad = bad < 0 ? i : bad;
            }
            else if (char.IsHighSurrogate(units[i]))
            {
                i++;
            }
        }

        var text = new string(units);
        if (bad < 0 && document.Length % 2 == 0)
        {
            return ParseText(text, origin);
        }

        var at = bad >= 0 ? bad : text.Length;
        var (line, column) = LineAndColumn(text, at);
        try
        {
            ParseText(text, origin);
        }
        catch (XmlRpcParseException e) when (e.LineNumber < line || (e.LineNumber == line && e.LinePosition < column))
        {
            throw;
        }
        catch (XmlRpcParseException)
        {
            // At or after the bad unit (or the end): that is the error.
        }

        var message = bad >= 0 ? "not well-formed (invalid token)" : "unclosed token";
        throw new XmlRpcParseException(
            $"{message}: {(bad >= 0 ? "an unpaired surrogate" : "an odd number of bytes")} in a UTF-16 document",
            XmlRpcParseErrorKind.InvalidCharacter,
            line,
            column)
        {
            // Expat counts a byte order mark as a character of the first line.
            PythonType = "xml.parsers.expat.ExpatError",
            PythonMessage = string.Format(CultureInfo.InvariantCulture, "{0}: line {1}, column {2}", message, line, column - 1 + (bom && line == 1 ? 1 : 0)),
        };
    }

    /// <summary>Expat's line (1-based; LF, CR LF and a lone CR end one) and 1-based column of a character of decoded text.</summary>
    private static (int Line, int Column) LineAndColumn(string text, int index)
    {
        var (line, start) = (1, 0);
        for (var i = 0; i < index; i++)
        {
            if (text[i] == '\n' || (text[i] == '\r' && (i + 1 >= text.Length || text[i + 1] != '\n')))
            {
                (line, start) = (line + 1, i + 1);
            }
        }

        return (line, index - start + 1);
    }

    /// <summary>Transcodes decoded text to UTF-8 and reads it.</summary>
    private XmlRpcMessage ParseText(string text, DocumentOrigin origin)
    {
        var utf8 = Transcode(text);
        try
        {
            if (utf8.Bytes.Length > Options.MaxDocumentBytes * 3L)
            {
                throw TooLarge();
            }

            return ParseUtf8(utf8.Bytes, origin);
        }
        finally
        {
            utf8.Dispose();
        }
    }

    private static RentedUtf8 Transcode(ReadOnlySpan<char> text)
    {
        var encoding = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);
        int count;
        try
        {
            count = encoding.GetByteCount(text);
        }
        catch (EncoderFallbackException e)
        {
            throw new XmlRpcParseException(
                $"not well-formed (invalid token): a lone surrogate at index {e.Index.ToString(CultureInfo.InvariantCulture)}",
                XmlRpcParseErrorKind.InvalidCharacter,
                0,
                0);
        }

        var buffer = ArrayPool<byte>.Shared.Rent(Math.Max(count, 1));
        var written = encoding.GetBytes(text, buffer);
        return new RentedUtf8(buffer, written);
    }

    private readonly struct RentedUtf8(byte[] buffer, int length) : IDisposable
    {
        public ReadOnlySpan<byte> Bytes => buffer.AsSpan(0, length);

        public void Dispose() => ArrayPool<byte>.Shared.Return(buffer);
    }
}
