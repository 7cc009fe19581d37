using System.Buffers;
using System.Buffers.Binary;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Unicode;
using XmlRpc.Protocol;

namespace XmlRpc.Internal;

/// <summary>The XML-RPC meaning of an element name (its part after the last <c>:</c>), as CPython's <c>Unmarshaller.dispatch</c> sees it.</summary>
internal enum TagKind
{
    /// <summary>Not in the dispatch table (<c>methodCall</c>, <c>param</c>, <c>data</c>, <c>member</c>, unknown names).</summary>
    Other,
    Value,
    Int,
    Boolean,
    String,
    Double,
    DateTime,
    Base64,
    Array,
    Struct,
    Nil,
    BigDecimal,
    Name,
    Params,
    Fault,
    MethodName,
}

/// <summary>What is known about a document's encoding before its XML declaration is read.</summary>
internal enum DocumentOrigin
{
    /// <summary>Bytes without a byte order mark, read as UTF-8: the declaration may name an 8-bit encoding to read them again with.</summary>
    Bytes,

    /// <summary>Bytes after a UTF-8 byte order mark: the declaration must name UTF-8 (or no encoding).</summary>
    Utf8Bom,

    /// <summary>UTF-16 little-endian without a byte order mark (expat's guess from a NUL second byte), transcoded: the declaration must name UTF-16 or UTF-16LE.</summary>
    Utf16LittleEndian,

    /// <summary>UTF-16 big-endian without a byte order mark (expat's guess from a NUL first byte), transcoded: the declaration must name UTF-16 or UTF-16BE.</summary>
    Utf16BigEndian,

    /// <summary><see cref="Utf16LittleEndian"/> after a byte order mark, which expat counts as a character of the first line.</summary>
    Utf16LittleEndianBom,

    /// <summary><see cref="Utf16BigEndian"/> after a byte order mark, which expat counts as a character of the first line.</summary>
    Utf16BigEndianBom,

    /// <summary>Already decoded (text given as a string, or an 8-bit document read again): the declared encoding is not checked.</summary>
    Decoded,
}

/// <summary>
/// A well-formedness-checking XML reader over UTF-8 bytes fused with a port of CPython's
/// <c>xmlrpc.client.Unmarshaller</c>: one pass, no recursion, no DTD, no namespaces.
/// </summary>
/// <remarks>
/// The XML part follows XML 1.0 (5th edition) for what XML-RPC documents contain: declaration, comments,
/// processing instructions, CDATA, character and predefined entity references, attributes (checked, then ignored),
/// end-of-line normalisation, and the Char production. A DOCTYPE is refused. The XML-RPC part keeps CPython's
/// semantics exactly: text is collected from the last start tag, end tags dispatch on the local name, an untyped
/// <c>&lt;value&gt;</c> is a string, only the first child of a <c>&lt;value&gt;</c> is checked against the dispatch table,
/// and the document kind is decided by the last <c>&lt;/params&gt;</c>, <c>&lt;/fault&gt;</c> or <c>&lt;/methodName&gt;</c>.
/// </remarks>
internal ref struct DocumentReader
{
    private const byte NameStartFlag = 1;
    private const byte NameCharFlag = 2;

    private static readonly byte[] AsciiName = CreateAsciiNameTable();

    /// <summary>The ASCII NameChar bytes.</summary>
    private static readonly SearchValues<byte> AsciiNameChars = SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_:-."u8);

    /// <summary>Bytes that end a run of plain character data.</summary>
    private static readonly SearchValues<byte> TextStop = SearchValues.Create(CreateTextStop());

    /// <summary>1 for bytes that do not end a run of plain character data (the complement of <see cref="TextStop"/>).</summary>
    private static readonly byte[] TextPlain = CreateTextPlain();

    private readonly ReadOnlySpan<byte> _doc;
    private readonly XmlRpcParserOptions _options;
    private readonly ParserState _s;
    private readonly DocumentOrigin _origin;
    private int _pos;
    private int _tagStart;
    private bool _afterRoot;
    private int _sliceStart;
    private int _sliceEnd;
    private bool _buffered;
    private bool _valueFlag;
    private int _type;
    private string? _methodName;

    public DocumentReader(ReadOnlySpan<byte> document, XmlRpcParserOptions options, ParserState state, DocumentOrigin origin)
    {
        _doc = document;
        _options = options;
        _s = state;
        _origin = origin;
    }

    /// <summary>Set when the declaration names an 8-bit encoding other than UTF-8: the caller transcodes and reads again.</summary>
    public string? RequiredEncoding { get; private set; }

    private const int TypeNone = 0;
    private const int TypeParams = 1;
    private const int TypeFault = 2;
    private const int TypeMethodName = 3;

    public XmlRpcMessage? Read()
    {
        if (_doc.StartsWith("<?xml"u8) && (_doc.Length == 5 || IsSpace(_doc[5]) || _doc[5] == '?'))
        {
            ReadXmlDeclaration();
            if (RequiredEncoding is not null)
            {
                return null;
            }
        }

        ReadMisc();
        if (_pos >= _doc.Length)
        {
            throw Expat("no element found", XmlRpcParseErrorKind.NotWellFormed, _pos);
        }

        if (_doc[_pos] != '<' || _pos + 1 >= _doc.Length || _doc[_pos + 1] == '!')
        {
            throw OutsideRoot(_pos, afterRoot: false);
        }

        ReadStartTag();
        if (_s.Depth > 0)
        {
            ReadContent();
        }

        _afterRoot = true;
        ReadMisc();
        if (_pos < _doc.Length)
        {
            throw OutsideRoot(_pos, afterRoot: true);
        }

        return Close();
    }

    // ---------------------------------------------------------------------------------------------
    // XML

    /// <summary>
    /// The XML declaration, as expat's <c>doParseXmlDecl</c> reads it: one token up to <c>?&gt;</c> (its characters checked),
    /// then <c>version</c> (any value of letters, digits, <c>. - _</c>: expat does not check the number), an optional
    /// <c>encoding</c> that starts with a letter, an optional <c>standalone</c> of <c>yes</c> or <c>no</c>, in that order.
    /// Errors point where expat's do.
    /// </summary>
    private void ReadXmlDeclaration()
    {
        _tagStart = 0;
        var end = _doc.IndexOf("?>"u8);
        ValidateChars(5, end < 0 ? _doc.Length : end);
        if (end < 0)
        {
            throw Expat("unclosed token", XmlRpcParseErrorKind.NotWellFormed, 0);
        }

        var ptr = 5;
        if (!PseudoAttribute(ref ptr, end, out var name, out var value) || name.Start < 0)
        {
            throw DeclarationError(ptr);
        }

        if (!_doc[name.Start..name.End].SequenceEqual("version"u8))
        {
            throw DeclarationError(name.Start);
        }

        if (!PseudoAttribute(ref ptr, end, out name, out value))
        {
            throw DeclarationError(ptr);
        }

        string? encoding = null;
        if (name.Start >= 0 && _doc[name.Start..name.End].SequenceEqual("encoding"u8))
        {
            if (value.Start >= end || !IsAsciiLetter(_doc[value.Start]))
            {
                throw DeclarationError(value.Start);
            }

            encoding = Encoding.ASCII.GetString(_doc[value.Start..value.End]);
            if (!PseudoAttribute(ref ptr, end, out name, out value))
            {
                throw DeclarationError(ptr);
            }
        }

        if (name.Start >= 0)
        {
            if (!_doc[name.Start..name.End].SequenceEqual("standalone"u8))
            {
                throw DeclarationError(name.Start);
            }

            if (!_doc[value.Start..value.End].SequenceEqual("yes"u8) && !_doc[value.Start..value.End].SequenceEqual("no"u8))
            {
                throw DeclarationError(value.Start);
            }

            while (ptr < end && IsSpace(_doc[ptr]))
            {
                ptr++;
            }

            if (ptr != end)
            {
                throw DeclarationError(ptr);
            }
        }

        _pos = end + 2;
        CheckDeclaredEncoding(encoding);
    }

    private readonly XmlRpcParseException DeclarationError(int offset) => Expat("XML declaration not well-formed", XmlRpcParseErrorKind.NotWellFormed, offset);

    /// <summary>
    /// Expat's <c>parsePseudoAttribute</c>: white space, a name, <c>=</c> (white space around it), a quoted value of
    /// letters, digits, <c>. - _</c>. True with <paramref name="name"/> starting at -1 when only white space is left; false
    /// with <paramref name="ptr"/> at the offending character.
    /// </summary>
    private readonly bool PseudoAttribute(ref int ptr, int end, out (int Start, int End) name, out (int Start, int End) value)
    {
        name = (-1, -1);
        value = (-1, -1);
        var p = ptr;
        if (p == end)
        {
            return true;
        }

        if (!IsSpace(_doc[p]))
        {
            ptr = p;
            return false;
        }

        do
        {
            p++;
        }
        while (p < end && IsSpace(_doc[p]));

        if (p == end)
        {
            return true;
        }

        var nameStart = p;
        int nameEnd;
        while (true)
        {
            if (p == end || _doc[p] >= 0x80)
            {
                ptr = p;
                return false;
            }

            if (_doc[p] == '=')
            {
                nameEnd = p;
                break;
            }

            if (IsSpace(_doc[p]))
            {
                nameEnd = p;
                do
                {
                    p++;
                }
                while (p < end && IsSpace(_doc[p]));

                if (p == end || _doc[p] != '=')
                {
                    ptr = p;
                    return false;
                }

                break;
            }

            p++;
        }

        if (p == nameStart)
        {
            ptr = p;
            return false;
        }

        p++;
        while (p < end && IsSpace(_doc[p]))
        {
            p++;
        }

        if (p == end || _doc[p] is not ((byte)'"' or (byte)'\''))
        {
            ptr = p;
            return false;
        }

        var open = _doc[p++];
        var valueStart = p;
        for (; ; p++)
        {
            if (p == end)
            {
                ptr = p;
                return false;
            }

            var c = _doc[p];
            if (c == open)
            {
                break;
            }

            if (!IsAsciiLetter(c) && c is not ((>= (byte)'0' and <= (byte)'9') or (byte)'.' or (byte)'-' or (byte)'_'))
            {
                ptr = p;
                return false;
            }
        }

        name = (nameStart, nameEnd);
        value = (valueStart, p);
        ptr = p + 1;
        return true;
    }

    /// <summary>The declared encoding against what the bytes say (a byte order mark, UTF-16), or the 8-bit encoding to read the bytes again with.</summary>
    private void CheckDeclaredEncoding(string? encoding)
    {
        if (encoding is null || _origin == DocumentOrigin.Decoded)
        {
            return;
        }

        if (_origin is DocumentOrigin.Utf16LittleEndian or DocumentOrigin.Utf16BigEndian or DocumentOrigin.Utf16LittleEndianBom or DocumentOrigin.Utf16BigEndianBom)
        {
            // Expat accepts only "UTF-16" and the name of the detected byte order (any case) in a UTF-16 document;
            // UTF-8, ISO-8859-1 and US-ASCII are "incorrect", and every other name fails in pyexpat's handler
            // for unknown encodings (multi-byte, unknown, or 8-bit text full of NUL bytes).
            var bigEndian = _origin is DocumentOrigin.Utf16BigEndian or DocumentOrigin.Utf16BigEndianBom;
            if (string.Equals(encoding, "UTF-16", StringComparison.OrdinalIgnoreCase)
                || string.Equals(encoding, bigEndian ? "UTF-16BE" : "UTF-16LE", StringComparison.OrdinalIgnoreCase))
            {
                return;
            }

            throw Fail(
                $"encoding specified in XML declaration is incorrect ('{encoding}' in a UTF-16{(bigEndian ? "BE" : "LE")} document)",
                XmlRpcParseErrorKind.UnsupportedEncoding,
                0);
        }

        if (Encodings.IsUtf8(encoding))
        {
            return;
        }

        if (_origin == DocumentOrigin.Utf8Bom || Encodings.IsUtf16(encoding))
        {
            throw Fail($"encoding specified in XML declaration is incorrect ('{encoding}' for {(_origin == DocumentOrigin.Utf8Bom ? "a UTF-8 byte order mark" : "8-bit bytes")})", XmlRpcParseErrorKind.UnsupportedEncoding, 0);
        }

        RequiredEncoding = encoding;
    }

    /// <summary>Comments, processing instructions and white space outside the root element.</summary>
    private void ReadMisc()
    {
        while (true)
        {
            SkipSpace();
            var rest = _doc[_pos..];
            if (rest.StartsWith("<!--"u8))
            {
                ReadComment();
            }
            else if (rest.StartsWith("<?"u8))
            {
                ReadProcessingInstruction();
            }
            else if (rest.StartsWith("<!DOCTYPE"u8))
            {
                throw Fail(
                    "DTDs are not allowed in XML-RPC documents (no entity expansion, no external entities; CPython expands internal entities, we refuse the document)",
                    XmlRpcParseErrorKind.DtdProhibited,
                    _pos);
            }
            else
            {
                return;
            }
        }
    }

    private void ReadContent()
    {
        while (_s.Depth > 0)
        {
            var runStart = _pos;
            while (true)
            {
                // Most runs are empty or a few bytes (a newline between tags): look at them before searching.
                var doc = _doc;
                var pos = _pos;
                var end = Math.Min(pos + 16, doc.Length);
                var plain = TextPlain;
                while (pos < end && plain[doc[pos]] != 0)
                {
                    pos++;
                }

                _pos = pos;

                var i = _pos < end ? 0 : _doc[_pos..].IndexOfAny(TextStop);
                if (i < 0)
                {
                    // Expat leaves a CR that ends the document unread (a LF might follow it): the error is reported before it.
                    _pos = _doc.Length;
                    throw Expat("no element found", XmlRpcParseErrorKind.NotWellFormed, _doc[^1] == '\r' ? _pos - 1 : _pos);
                }

                _pos += i;
                var b = _doc[_pos];
                if (b is (byte)'<' or (byte)'&')
                {
                    break;
                }

                if (b == ']')
                {
                    if (_doc[_pos..].StartsWith("]]>"u8))
                    {
                        throw Expat("not well-formed (invalid token)", XmlRpcParseErrorKind.NotWellFormed, _pos + 2, "']]>' in character data");
                    }

                    _pos++;
                }
                else if (b == '\r')
                {
                    AddRun(runStart, _pos);
                    AddBytes("\n"u8);
                    _pos++;
                    if (_pos < _doc.Length && _doc[_pos] == '\n')
                    {
                        _pos++;
                    }

                    runStart = _pos;
                }
                else if (b >= 0x80)
                {
                    _pos = SkipNonAscii(_pos, inToken: false);
                }
                else
                {
                    throw InvalidToken(_pos);
                }
            }

            AddRun(runStart, _pos);
            if (_doc[_pos] == '&')
            {
                ReadReference(inAttribute: false);
                continue;
            }

            if (_pos + 1 >= _doc.Length)
            {
                throw Expat("unclosed token", XmlRpcParseErrorKind.NotWellFormed, _pos);
            }

            switch (_doc[_pos + 1])
            {
                case (byte)'/':
                    ReadEndTag();
                    break;
                case (byte)'?':
                    ReadProcessingInstruction();
                    break;
                case (byte)'!':
                    var rest = _doc[_pos..];
                    if (rest.StartsWith("<!--"u8))
                    {
                        ReadComment();
                    }
                    else if (rest.StartsWith("<![CDATA["u8))
                    {
                        ReadCData();
                    }
                    else if (rest.StartsWith("<!DOCTYPE"u8))
                    {
                        throw Fail("DTDs are not allowed in XML-RPC documents", XmlRpcParseErrorKind.DtdProhibited, _pos);
                    }
                    else
                    {
                        // Expat's content tokenizer after '<!': '-' for a comment, "[CDATA[" for a section, anything
                        // else an invalid token where it stops matching (unclosed when the document ends first).
                        _tagStart = _pos;
                        var expected = rest.Length > 2 && rest[2] == '-' ? "<!--"u8 : "<![CDATA["u8;
                        var common = rest.CommonPrefixLength(expected);
                        throw InvalidToken(_pos + Math.Max(common, 2));
                    }

                    break;
                default:
                    ReadStartTag();
                    break;
            }
        }
    }

    private void ReadStartTag()
    {
        _tagStart = _pos;
        _pos++;
        var nameStart = _pos;
        if (KnownTag(_doc[nameStart..], out var knownKind, out var knownLength))
        {
            // The tags CPython writes, each followed by '>': no name scan, no classification.
            _pos += knownLength + 1;
            FinishStartTag(nameStart, knownLength, knownKind, empty: false);
            if (knownKind is not (TagKind.Other or TagKind.Value or TagKind.Array or TagKind.Struct or TagKind.Params))
            {
                TryReadLeaf(nameStart, knownLength, knownKind);
            }

            return;
        }

        var localStart = ReadName();
        var nameLength = _pos - nameStart;
        var empty = false;
        List<(int Start, int Length)>? attributes = null;
        if (_pos < _doc.Length && _doc[_pos] == '>')
        {
            // The common case: no attributes, no white space.
            _pos++;
        }
        else
        {
            ReadAttributes(ref empty, ref attributes);
        }

        FinishStartTag(nameStart, nameLength, Classify(_doc[localStart..(nameStart + nameLength)]), empty);
    }

    /// <summary>
    /// After the start tag of a scalar: short plain text and the matching end tag without white space, read in one go
    /// (what the main loop would do for them, minus its dispatch). Anything else is left to the main loop.
    /// </summary>
    private void TryReadLeaf(int nameStart, int nameLength, TagKind kind)
    {
        var doc = _doc;
        var textStart = _pos;
        var end = Math.Min(textStart + 64, doc.Length - nameLength - 3);
        var plain = TextPlain;
        var pos = textStart;
        while (pos < end && plain[doc[pos]] != 0)
        {
            pos++;
        }

        if (pos >= end || doc[pos] != '<' || doc[pos + 1] != '/' || doc[pos + 2 + nameLength] != '>'
            || !doc.Slice(pos + 2, nameLength).SequenceEqual(doc.Slice(nameStart, nameLength)))
        {
            return;
        }

        _sliceStart = textStart;
        _sliceEnd = pos;
        _tagStart = pos;
        _pos = pos + nameLength + 3;
        EndElement(kind);
        _s.Depth--;
    }

    /// <summary>Recognises <c>name&gt;</c> for the element names of CPython's output, comparing 8 bytes at a time.</summary>
    private static bool KnownTag(ReadOnlySpan<byte> rest, out TagKind kind, out int length)
    {
        kind = TagKind.Other;
        length = 0;
        if (rest.Length < 18)
        {
            return false;
        }

        var w = BinaryPrimitives.ReadUInt64LittleEndian(rest);
        (kind, length) = (w & 0xFFFF_FFFF_FFFF) switch
        {
            TagValue => (TagKind.Value, 5),
            TagMember when (w & 0xFF_FFFF_FFFF_FFFF) == TagMember7 => (TagKind.Other, 6),
            TagString when (w & 0xFF_FFFF_FFFF_FFFF) == TagString7 => (TagKind.String, 6),
            TagStruct when (w & 0xFF_FFFF_FFFF_FFFF) == TagStruct7 => (TagKind.Struct, 6),
            TagDouble when (w & 0xFF_FFFF_FFFF_FFFF) == TagDouble7 => (TagKind.Double, 6),
            TagArray => (TagKind.Array, 5),
            TagBoolean when w == TagBoolean8 => (TagKind.Boolean, 7),
            TagBase64 when (w & 0xFF_FFFF_FFFF_FFFF) == TagBase647 => (TagKind.Base64, 6),
            TagParam => (TagKind.Other, 5),
            TagParams when (w & 0xFF_FFFF_FFFF_FFFF) == TagParams7 => (TagKind.Params, 6),
            TagDateTime when rest.StartsWith("dateTime.iso8601>"u8) => (TagKind.DateTime, 16),
            _ => (w & 0xFF_FFFF_FFFF) switch
            {
                TagName => (TagKind.Name, 4),
                TagData => (TagKind.Other, 4),
                _ => (w & 0xFFFF_FFFF) == TagInt ? (TagKind.Int, 3) : (TagKind.Other, 0),
            },
        };
        return length > 0;
    }

    // Little-endian packs of "name>" prefixes (6 bytes: mask 0xFFFF_FFFF_FFFF; 7: 0xFF_FFFF_FFFF_FFFF).
    private const ulong TagValue = 0x3E65756C6176; // "value>"
    private const ulong TagArray = 0x3E7961727261; // "array>"
    private const ulong TagParam = 0x3E6D61726170; // "param>"
    private const ulong TagMember = 0x7265626D656D; // "member"
    private const ulong TagMember7 = 0x3E7265626D656D; // "member>"
    private const ulong TagString = 0x676E69727473; // "string"
    private const ulong TagString7 = 0x3E676E69727473; // "string>"
    private const ulong TagStruct = 0x746375727473; // "struct"
    private const ulong TagStruct7 = 0x3E746375727473; // "struct>"
    private const ulong TagDouble = 0x656C62756F64; // "double"
    private const ulong TagDouble7 = 0x3E656C62756F64; // "double>"
    private const ulong TagBoolean = 0x61656C6F6F62; // "boolea"
    private const ulong TagBoolean8 = 0x3E6E61656C6F6F62; // "boolean>"
    private const ulong TagBase64 = 0x343665736162; // "base64"
    private const ulong TagBase647 = 0x3E343665736162; // "base64>"
    private const ulong TagParams = 0x736D61726170; // "params"
    private const ulong TagParams7 = 0x3E736D61726170; // "params>"
    private const ulong TagDateTime = 0x695465746164; // "dateTi"
    private const ulong TagName = 0x3E656D616E; // "name>"
    private const ulong TagData = 0x3E61746164; // "data>"
    private const ulong TagInt = 0x3E746E69; // "int>"

    private void ReadAttributes(ref bool empty, ref List<(int Start, int Length)>? attributes)
    {
        while (true)
        {
            var space = SkipSpace();
            if (_pos >= _doc.Length)
            {
                throw Expat("unclosed token", XmlRpcParseErrorKind.NotWellFormed, _tagStart);
            }

            var b = _doc[_pos];
            if (b == '>')
            {
                _pos++;
                break;
            }

            if (b == '/')
            {
                if (_pos + 1 < _doc.Length && _doc[_pos + 1] == '>')
                {
                    _pos += 2;
                    empty = true;
                    break;
                }

                throw InvalidToken(_pos + 1);
            }

            if (!space)
            {
                throw InvalidToken(_pos);
            }

            var attrStart = _pos;
            ReadName();
            var attrLength = _pos - attrStart;
            attributes ??= [];
            foreach (var (start, length) in attributes)
            {
                if (length == attrLength && _doc.Slice(start, length).SequenceEqual(_doc.Slice(attrStart, attrLength)))
                {
                    throw Expat("duplicate attribute", XmlRpcParseErrorKind.NotWellFormed, attrStart);
                }
            }

            attributes.Add((attrStart, attrLength));
            SkipSpace();
            ExpectByte((byte)'=');
            SkipSpace();
            ReadAttributeValue();
        }
    }

    private void FinishStartTag(int nameStart, int nameLength, TagKind kind, bool empty)
    {
        if (_s.Depth >= _options.MaxDepth)
        {
            throw Fail($"the document nests elements deeper than MaxDepth ({_options.MaxDepth.ToString(CultureInfo.InvariantCulture)})", XmlRpcParseErrorKind.LimitExceeded, _tagStart);
        }

        _s.PushElement(nameStart, nameLength, (int)kind);
        StartElement(kind, nameStart, nameLength);
        if (empty)
        {
            EndElement(kind);
            _s.Depth--;
        }
    }

    private void ReadAttributeValue()
    {
        if (_pos >= _doc.Length || _doc[_pos] is not ((byte)'"' or (byte)'\''))
        {
            throw InvalidToken(_pos);
        }

        var quote = _doc[_pos++];
        while (true)
        {
            if (_pos >= _doc.Length)
            {
                throw Expat("unclosed token", XmlRpcParseErrorKind.NotWellFormed, _tagStart);
            }

            var b = _doc[_pos];
            if (b == quote)
            {
                _pos++;
                return;
            }

            if (b == '<')
            {
                throw InvalidToken(_pos);
            }

            if (b == '&')
            {
                ReadReference(inAttribute: true);
            }
            else if (b >= 0x80)
            {
                _pos = SkipNonAscii(_pos);
            }
            else if (b < 0x20 && !IsSpace(b))
            {
                throw InvalidToken(_pos);
            }
            else
            {
                _pos++;
            }
        }
    }

    private void ReadEndTag()
    {
        _tagStart = _pos;
        var top = (_s.Depth - 1) * 3;
        var elements = _s.Elements;
        var openStart = elements[top];
        var openLength = elements[top + 1];
        var nameAt = _pos + 2;
        if (openLength < 8 && nameAt + 8 <= _doc.Length)
        {
            // The open name (at most 7 bytes) and '>' in one 8-byte comparison: '>' is no name character, so this
            // is exactly the well-formed end tag without white space, and nothing else needs checking.
            var mask = (1UL << (8 * openLength)) - 1;
            var w = BinaryPrimitives.ReadUInt64LittleEndian(_doc[nameAt..]);
            var open = BinaryPrimitives.ReadUInt64LittleEndian(_doc[openStart..]);
            if (((w ^ open) & mask) == 0 && (byte)(w >> (8 * openLength)) == '>')
            {
                _pos = nameAt + openLength + 1;
                EndElement((TagKind)elements[top + 2]);
                _s.Depth--;
                return;
            }
        }

        _pos = nameAt;
        if (_pos + openLength >= _doc.Length || !_doc.Slice(_pos, openLength).SequenceEqual(_doc.Slice(openStart, openLength))
            || (_doc[_pos + openLength] < 0x80 && (AsciiName[_doc[_pos + openLength]] & NameCharFlag) != 0))
        {
            // Not the open name (or a longer one): a well-formed name that differs is a mismatch, anything else a bad token.
            ReadName();
            throw MismatchedTag();
        }

        _pos += openLength;
        if (_doc[_pos] >= 0x80)
        {
            // A non-ASCII name character continuing the name is a mismatch too.
            if (Rune.DecodeFromUtf8(_doc[_pos..], out var rune, out _) == OperationStatus.Done && ExpatNames.IsName(rune.Value))
            {
                ReadName();
                throw MismatchedTag();
            }
        }

        if (_doc[_pos] == '>')
        {
            _pos++;
        }
        else
        {
            SkipSpace();
            ExpectByte((byte)'>');
        }

        EndElement((TagKind)_s.Elements[top + 2]);
        _s.Depth--;
    }

    /// <summary>An end tag that names another element: expat reads the whole token first (white space, then <c>&gt;</c>), so a token the document cuts short is unclosed and a bad character is an invalid token; a mismatch is reported at the name.</summary>
    private XmlRpcParseException MismatchedTag()
    {
        SkipSpace();
        return _pos >= _doc.Length ? Expat("unclosed token", XmlRpcParseErrorKind.NotWellFormed, _tagStart)
            : _doc[_pos] != '>' ? InvalidToken(_pos)
            : Expat("mismatched tag", XmlRpcParseErrorKind.NotWellFormed, _tagStart + 2);
    }

    private void ReadComment()
    {
        var start = _tagStart = _pos;
        _pos += 4;
        var end = _doc[_pos..].IndexOf("--"u8);
        ValidateChars(_pos, end < 0 ? _doc.Length : _pos + end);
        if (end < 0 || _pos + end + 2 >= _doc.Length)
        {
            // Expat reads the characters up to the end first: a bad one is an invalid token, a cut one a partial character.
            throw Expat("unclosed token", XmlRpcParseErrorKind.NotWellFormed, start);
        }

        _pos += end + 2;
        if (_doc[_pos] != '>')
        {
            throw Expat("not well-formed (invalid token)", XmlRpcParseErrorKind.NotWellFormed, _pos, "'--' inside a comment");
        }

        _pos++;
    }

    private void ReadProcessingInstruction()
    {
        var start = _tagStart = _pos;
        _pos += 2;
        var targetStart = _pos;
        ReadName();
        var target = _doc[targetStart.._pos];

        // Expat's scanPi: the target ends at white space or '?' (anything else is an invalid token there); 'xml' is the
        // declaration, out of place here, and any other case of it (XML, Xml) is reserved: an invalid token after the target.
        if (_pos < _doc.Length && !IsSpace(_doc[_pos]) && _doc[_pos] != '?')
        {
            throw InvalidToken(_pos);
        }

        var declaration = target.SequenceEqual("xml"u8);
        if (!declaration && target.Length == 3 && (target[0] | 0x20) == 'x' && (target[1] | 0x20) == 'm' && (target[2] | 0x20) == 'l')
        {
            throw InvalidToken(_pos);
        }

        if (_pos < _doc.Length && _doc[_pos] == '?')
        {
            // '?' right after the target: only '>' may follow (expat's invalid token is the character after '?').
            _pos++;
            if (_pos < _doc.Length && _doc[_pos] != '>')
            {
                throw InvalidToken(_pos);
            }
        }
        else
        {
            SkipSpace();
            var end = _doc[_pos..].IndexOf("?>"u8);
            ValidateChars(_pos, end < 0 ? _doc.Length : _pos + end);
            _pos = end < 0 ? _doc.Length : _pos + end + 1;
        }

        // The whole token is read before its meaning counts: cut short, it is unclosed; complete, 'xml' is out of place.
        if (_pos >= _doc.Length)
        {
            throw Expat("unclosed token", XmlRpcParseErrorKind.NotWellFormed, start);
        }

        if (declaration)
        {
            // After the root element expat's epilog knows no declaration token: junk, like any other.
            throw _afterRoot
                ? Expat("junk after document element", XmlRpcParseErrorKind.NotWellFormed, start)
                : Expat("XML or text declaration not at start of entity", XmlRpcParseErrorKind.NotWellFormed, start);
        }

        _pos++;
    }

    private void ReadCData()
    {
        var start = _pos;
        _pos += 9;
        var end = _doc[_pos..].IndexOf("]]>"u8);
        if (end < 0)
        {
            // Expat reads the section's characters up to the end first: a bad one is an invalid token, a cut one a partial
            // character (a token of its own); then the section is unclosed where its last token starts: a trailing "]" or
            // "]]" is the start of a "]]>" cut short, everything before it character data.
            ValidateChars(_pos, _doc.Length, inToken: false);
            var tail = _doc.EndsWith("]]"u8) && _doc.Length - 2 >= _pos ? 2 : _doc.EndsWith("]"u8) && _doc.Length - 1 >= _pos ? 1 : 0;
            throw Expat("unclosed CDATA section", XmlRpcParseErrorKind.NotWellFormed, _doc.Length - tail);
        }

        var stop = _pos + end;
        ValidateChars(_pos, stop);
        var runStart = _pos;
        while (true)
        {
            var cr = _doc[runStart..stop].IndexOf((byte)'\r');
            if (cr < 0)
            {
                break;
            }

            AddRun(runStart, runStart + cr);
            AddBytes("\n"u8);
            runStart += cr + 1;
            if (runStart < stop && _doc[runStart] == '\n')
            {
                runStart++;
            }
        }

        AddRun(runStart, stop);
        _pos = stop + 3;
    }

    private void ReadReference(bool inAttribute)
    {
        var start = _pos;
        if (!inAttribute)
        {
            // In character data a reference is a token of its own: one the document cuts short is reported at its '&'.
            _tagStart = start;
        }

        _pos++;
        if (_pos < _doc.Length && _doc[_pos] == '#')
        {
            _pos++;
            var hex = _pos < _doc.Length && _doc[_pos] == 'x';
            if (hex)
            {
                _pos++;
            }

            var digitsStart = _pos;
            long code = 0;
            while (_pos < _doc.Length && _doc[_pos] != ';')
            {
                var b = _doc[_pos];
                int d = b is >= (byte)'0' and <= (byte)'9' ? b - '0'
                    : hex && b is >= (byte)'a' and <= (byte)'f' ? b - 'a' + 10
                    : hex && b is >= (byte)'A' and <= (byte)'F' ? b - 'A' + 10
                    : -1;
                if (d < 0)
                {
                    throw InvalidToken(_pos);
                }

                code = Math.Min((code * (hex ? 16 : 10)) + d, 0x110000);
                _pos++;
            }

            if (_pos >= _doc.Length || _pos == digitsStart)
            {
                throw InvalidToken(_pos);
            }

            _pos++;
            if (!XmlCharacters.IsXmlChar(code))
            {
                throw Expat("reference to invalid character number", XmlRpcParseErrorKind.InvalidCharacter, start);
            }

            if (!inAttribute)
            {
                Span<byte> utf8 = stackalloc byte[4];
                var n = new Rune((int)code).EncodeToUtf8(utf8);
                AddBytes(utf8[..n]);
            }

            return;
        }

        if (_pos + 4 <= _doc.Length)
        {
            // What writers escape (CPython: &amp; &lt; &gt;), recognised from one word: exactly what the general path reads.
            var w = BinaryPrimitives.ReadUInt32LittleEndian(_doc[_pos..]);
            var (length, b) = (w & 0xFF_FFFF) switch
            {
                0x3B746C => (3, (byte)'<'), // "lt;"
                0x3B7467 => (3, (byte)'>'), // "gt;"
                _ => w == 0x3B706D61 ? (4, (byte)'&') : (0, (byte)0), // "amp;"
            };
            if (length > 0)
            {
                _pos += length;
                if (!inAttribute)
                {
                    AddByte(b);
                }

                return;
            }
        }

        var nameStart = _pos;
        ReadName();
        var name = _doc[nameStart.._pos];
        if (_pos >= _doc.Length || _doc[_pos] != ';')
        {
            throw InvalidToken(_pos);
        }

        _pos++;
        ReadOnlySpan<byte> replacement =
            name.SequenceEqual("amp"u8) ? "&"u8
            : name.SequenceEqual("lt"u8) ? "<"u8
            : name.SequenceEqual("gt"u8) ? ">"u8
            : name.SequenceEqual("quot"u8) ? "\""u8
            : name.SequenceEqual("apos"u8) ? "'"u8
            : throw Expat("undefined entity", XmlRpcParseErrorKind.NotWellFormed, start, $"'&{Encoding.UTF8.GetString(name)};'");
        if (!inAttribute)
        {
            AddBytes(replacement);
        }
    }

    /// <summary>Reads a Name; returns the offset of its local part (after the last <c>:</c>).</summary>
    private int ReadName()
    {
        if (_pos >= _doc.Length)
        {
            throw Expat("unclosed token", XmlRpcParseErrorKind.NotWellFormed, _tagStart);
        }

        var local = _pos;
        var b = _doc[_pos];
        if (b < 0x80)
        {
            if ((AsciiName[b] & NameStartFlag) == 0)
            {
                throw InvalidToken(_pos);
            }

            _pos++;
            if (b == ':')
            {
                local = _pos;
            }
        }
        else
        {
            var status = Rune.DecodeFromUtf8(_doc[_pos..], out var rune, out var n);
            if (status != OperationStatus.Done || !ExpatNames.IsStart(rune.Value))
            {
                throw status != OperationStatus.Done && CutShort(_pos) ? PartialCharacter() : InvalidToken(_pos);
            }

            _pos += n;
        }

        // The ASCII part of the name in one vectorised search; ':' (rare) moves the local part.
        var doc = _doc;
        var pos = _pos;
        var asciiLength = doc[pos..].IndexOfAnyExcept(AsciiNameChars);
        pos = asciiLength < 0 ? doc.Length : pos + asciiLength;
        var colon = doc[_pos..pos].LastIndexOf((byte)':');
        if (colon >= 0)
        {
            local = _pos + colon + 1;
        }

        if (pos >= doc.Length || doc[pos] < 0x80)
        {
            _pos = pos;
            return local;
        }

        _pos = pos;
        while (_pos < _doc.Length)
        {
            b = _doc[_pos];
            if (b < 0x80)
            {
                if ((AsciiName[b] & NameCharFlag) == 0)
                {
                    return local;
                }

                _pos++;
                if (b == ':')
                {
                    local = _pos;
                }

                continue;
            }

            var status = Rune.DecodeFromUtf8(_doc[_pos..], out var rune, out var n);
            if (status != OperationStatus.Done)
            {
                throw status != OperationStatus.Done && CutShort(_pos) ? PartialCharacter() : InvalidToken(_pos);
            }

            if (!ExpatNames.IsName(rune.Value))
            {
                return local;
            }

            _pos += n;
        }

        return local;
    }

    /// <summary>Validates a run of non-ASCII bytes (UTF-8, no U+FFFE/U+FFFF) and returns the offset after it.</summary>
    private int SkipNonAscii(int start, bool inToken = true)
    {
        var j = _doc[start..].IndexOfAnyInRange((byte)0, (byte)0x7F);
        var end = j < 0 ? _doc.Length : start + j;
        var run = _doc[start..end];
        if (!Utf8.IsValid(run))
        {
            throw InvalidUtf8(start, inToken);
        }

        var k = run.IndexOf((byte)0xEF);
        while (k >= 0)
        {
            if (k + 2 < run.Length && run[k + 1] == 0xBF && run[k + 2] is 0xBE or 0xBF)
            {
                throw Expat("not well-formed (invalid token)", XmlRpcParseErrorKind.InvalidCharacter, start + k, "U+FFFE or U+FFFF");
            }

            var next = run[(k + 1)..].IndexOf((byte)0xEF);
            k = next < 0 ? -1 : k + 1 + next;
        }

        return end;
    }

    /// <summary>The Char production over a range (comments, processing instructions, CDATA).</summary>
    private void ValidateChars(int start, int end, bool inToken = true)
    {
        var i = start;
        while (i < end)
        {
            var b = _doc[i];
            if (b >= 0x80)
            {
                i = SkipNonAscii(i, inToken);
                if (i > end)
                {
                    i = end;
                }
            }
            else if (b < 0x20 && !IsSpace(b))
            {
                throw InvalidToken(i);
            }
            else
            {
                i++;
            }
        }
    }

    private bool SkipSpace()
    {
        var start = _pos;
        while (_pos < _doc.Length && IsSpace(_doc[_pos]))
        {
            _pos++;
        }

        return _pos > start;
    }

    private void ExpectByte(byte b)
    {
        if (_pos >= _doc.Length || _doc[_pos] != b)
        {
            throw _pos >= _doc.Length ? Expat("unclosed token", XmlRpcParseErrorKind.NotWellFormed, _tagStart) : InvalidToken(_pos);
        }

        _pos++;
    }

    // ---------------------------------------------------------------------------------------------
    // Character data collected since the last start tag (CPython's Unmarshaller._data)

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void ResetText()
    {
        _sliceStart = 0;
        _sliceEnd = 0;
        _buffered = false;
    }

    private void AddRun(int start, int end)
    {
        if (end == start)
        {
            return;
        }

        if (!_buffered)
        {
            if (_sliceEnd == _sliceStart)
            {
                _sliceStart = start;
                _sliceEnd = end;
                return;
            }

            if (_sliceEnd == start)
            {
                _sliceEnd = end;
                return;
            }

            SwitchToBuffer();
        }

        _s.AppendText(_doc[start..end]);
    }

    private void AddBytes(scoped ReadOnlySpan<byte> bytes)
    {
        if (!_buffered)
        {
            SwitchToBuffer();
        }

        _s.AppendText(bytes);
    }

    private void AddByte(byte b)
    {
        if (!_buffered)
        {
            SwitchToBuffer();
        }

        _s.AppendByte(b);
    }

    private void SwitchToBuffer()
    {
        _buffered = true;
        _s.TextLength = 0;
        _s.AppendText(_doc[_sliceStart.._sliceEnd]);
    }

    private readonly ReadOnlySpan<byte> Text => _buffered ? _s.Text.AsSpan(0, _s.TextLength) : _doc[_sliceStart.._sliceEnd];

    // ---------------------------------------------------------------------------------------------
    // XML-RPC (xmlrpc.client.Unmarshaller)

    private static TagKind Classify(ReadOnlySpan<byte> name)
    {
        switch (name.Length)
        {
            case 2:
                return name[0] == 'i' && name[1] is (byte)'1' or (byte)'2' or (byte)'4' or (byte)'8' ? TagKind.Int : TagKind.Other;
            case 3:
                return name.SequenceEqual("int"u8) ? TagKind.Int : name.SequenceEqual("nil"u8) ? TagKind.Nil : TagKind.Other;
            case 4:
                return name.SequenceEqual("name"u8) ? TagKind.Name : TagKind.Other;
            case 5:
                return name.SequenceEqual("value"u8) ? TagKind.Value
                    : name.SequenceEqual("array"u8) ? TagKind.Array
                    : name.SequenceEqual("float"u8) ? TagKind.Double
                    : name.SequenceEqual("fault"u8) ? TagKind.Fault
                    : TagKind.Other;
            case 6:
                return name.SequenceEqual("string"u8) ? TagKind.String
                    : name.SequenceEqual("struct"u8) ? TagKind.Struct
                    : name.SequenceEqual("double"u8) ? TagKind.Double
                    : name.SequenceEqual("base64"u8) ? TagKind.Base64
                    : name.SequenceEqual("params"u8) ? TagKind.Params
                    : TagKind.Other;
            case 7:
                return name.SequenceEqual("boolean"u8) ? TagKind.Boolean : TagKind.Other;
            case 10:
                return name.SequenceEqual("methodName"u8) ? TagKind.MethodName
                    : name.SequenceEqual("biginteger"u8) ? TagKind.Int
                    : name.SequenceEqual("bigdecimal"u8) ? TagKind.BigDecimal
                    : TagKind.Other;
            case 16:
                return name.SequenceEqual("dateTime.iso8601"u8) ? TagKind.DateTime : TagKind.Other;
            default:
                return TagKind.Other;
        }
    }

    private void StartElement(TagKind kind, int nameStart, int nameLength)
    {
        if (kind is TagKind.Array or TagKind.Struct)
        {
            // A struct member is two stack items (its name, then its value); the limit counts members.
            _s.PushMark(kind == TagKind.Struct ? 2L * _options.MaxCollectionCount : _options.MaxCollectionCount);
        }

        ResetText();
        if (_valueFlag && kind == TagKind.Other)
        {
            var name = _doc.Slice(nameStart, nameLength);
            var colon = name.LastIndexOf((byte)':');
            var tag = Encoding.UTF8.GetString(name[(colon + 1)..]);
            throw Python(
                "xmlrpc.client.ResponseError",
                "ResponseError(" + PythonText.Repr("unknown tag " + PythonText.Repr(tag)) + ")",
                XmlRpcParseErrorKind.InvalidMessage,
                _tagStart,
                $"unknown tag '{tag}' in a value");
        }

        _valueFlag = kind == TagKind.Value;
    }

    private void EndElement(TagKind kind)
    {
        switch (kind)
        {
            case TagKind.Other:
                return;
            case TagKind.Value:
                if (_valueFlag)
                {
                    Push(MakeStringValue(Text));
                    _valueFlag = false;
                }

                return;
            case TagKind.String:
                Push(MakeStringValue(Text));
                _valueFlag = false;
                return;
            case TagKind.Name:
                Push(MakeString(Text));
                _valueFlag = false;
                return;
            case TagKind.Int:
                Push(MakeInteger(Text));
                _valueFlag = false;
                return;
            case TagKind.Boolean:
                {
                    var t = Text;
                    Push(t.Length == 1 && t[0] == '1' ? XmlRpcValue.True
                        : t.Length == 1 && t[0] == '0' ? XmlRpcValue.False
                        : throw Python("TypeError", "bad boolean value", XmlRpcParseErrorKind.InvalidValue, _tagStart, $"bad boolean value '{Shorten(t)}' (only 0 and 1)"));
                    _valueFlag = false;
                    return;
                }

            case TagKind.Double:
                Push(MakeDouble(Text));
                _valueFlag = false;
                return;
            case TagKind.Nil:
                Push(XmlRpcValue.Nil);
                _valueFlag = false;
                return;
            case TagKind.DateTime:
                {
                    var t = Text;
                    if (t.Length > 0 && t[0] is > 0x20 and < 0x80 && t[^1] is > 0x20 and < 0x80)
                    {
                        // No white space to strip at either end (Python's strip removes none of these ASCII characters).
                        CheckStringLength(t);
                        Push(_s.GetDateTimeValue(t));
                        return;
                    }

                    var raw = MakeString(Text);
                    var text = PythonText.Strip(raw);
                    Push(XmlRpcValue.FromDateTimeText(text.Length == raw.Length ? raw : text.ToString()));
                    return;
                }

            case TagKind.Base64:
                Push(MakeBase64(Text));
                _valueFlag = false;
                return;
            case TagKind.BigDecimal:
                {
                    var text = MakeString(Text);
                    Push(PythonText.TryCanonicalDecimal(text, out var canonical)
                        ? XmlRpcValue.FromBigDecimalText(canonical)
                        : throw Python("decimal.InvalidOperation", "[<class 'decimal.ConversionSyntax'>]", XmlRpcParseErrorKind.InvalidValue, _tagStart, $"invalid bigdecimal '{Shorten(Text)}'"));
                    _valueFlag = false;
                    return;
                }

            case TagKind.Array:
                EndArray();
                _valueFlag = false;
                return;
            case TagKind.Struct:
                EndStruct();
                _valueFlag = false;
                return;
            case TagKind.Params:
                _type = TypeParams;
                return;
            case TagKind.Fault:
                _type = TypeFault;
                return;
            case TagKind.MethodName:
                _methodName = MakeString(Text);
                _type = TypeMethodName;
                return;
        }
    }

    private void Push(object item)
    {
        var s = _s;
        var top = s.MarkCount - 1;
        if (s.StackCount >= (top >= 0 ? s.MarkFull[top] : _options.MaxCollectionCount))
        {
            throw Fail($"more than MaxCollectionCount ({_options.MaxCollectionCount.ToString(CultureInfo.InvariantCulture)}) items in one array, struct or parameter list", XmlRpcParseErrorKind.LimitExceeded, _tagStart);
        }

        s.Push(item);
    }

    private void EndArray()
    {
        var mark = _s.Marks[--_s.MarkCount];
        var count = _s.StackCount - mark;
        var items = count == 0 ? [] : new XmlRpcValue[count];
        for (var i = 0; i < count; i++)
        {
            items[i] = AsValue(_s.Stack[mark + i].Item);
        }

        _s.StackCount = mark;
        _s.Push(XmlRpcValue.CreateArrayOwned(items));
    }

    private void EndStruct()
    {
        var mark = _s.Marks[--_s.MarkCount];
        var count = _s.StackCount - mark;

        // CPython's end_struct, pair by pair: dict[items[i]] = items[i + 1] reads the value (IndexError), then hashes the key (TypeError).
        for (var i = 0; i < count; i += 2)
        {
            if (i + 1 >= count)
            {
                throw Python("IndexError", "list index out of range", XmlRpcParseErrorKind.InvalidMessage, _tagStart, "a struct member has a name but no value");
            }

            if (_s.Stack[mark + i].Item is XmlRpcValue { Kind: XmlRpcValueKind.Array or XmlRpcValueKind.Struct or XmlRpcValueKind.Base64 or XmlRpcValueKind.DateTime } key)
            {
                throw Python(
                    "TypeError",
                    $"unhashable type: '{key.PythonTypeName}'",
                    XmlRpcParseErrorKind.InvalidMessage,
                    _tagStart,
                    $"a struct member name is {XmlRpcValue.KindName(key.Kind)}, not a string (a <value> before its <name>?)");
            }
        }

        var members = count == 0 ? [] : new KeyValuePair<string, XmlRpcValue>[count / 2];
        for (var i = 0; i < members.Length; i++)
        {
            var name = _s.Stack[mark + (2 * i)].Item;
            var key = name as string
                ?? (name is XmlRpcValue { Kind: XmlRpcValueKind.String } text ? text.StringText : null)
                ?? throw Fail(
                    $"a struct member name is {XmlRpcValue.KindName(((XmlRpcValue)_s.Stack[mark + (2 * i)].Item).Kind)}, not a string (a <value> before its <name>?)",
                    XmlRpcParseErrorKind.InvalidMessage,
                    _tagStart);
            members[i] = new(key, AsValue(_s.Stack[mark + (2 * i) + 1].Item));
        }

        _s.StackCount = mark;
        _s.Push(XmlRpcValue.CreateStruct(members));
    }

    /// <summary>CPython's <c>Fault(**value)</c> TypeError for a fault value that is not a struct with both members.</summary>
    private static string FaultTypeError(XmlRpcValue value)
    {
        if (value.Kind != XmlRpcValueKind.Struct)
        {
            return $"xmlrpc.client.Fault() argument after ** must be a mapping, not {value.PythonTypeName}";
        }

        var code = value.TryGetMember("faultCode", out _);
        var text = value.TryGetMember("faultString", out _);
        return code || text
            ? $"Fault.__init__() missing 1 required positional argument: '{(code ? "faultString" : "faultCode")}'"
            : "Fault.__init__() missing 2 required positional arguments: 'faultCode' and 'faultString'";
    }

    private static XmlRpcValue AsValue(object item) => item as XmlRpcValue ?? XmlRpcValue.CreateStringOwned((string)item);

    private XmlRpcMessage Close()
    {
        if (_type == TypeNone || _s.MarkCount > 0)
        {
            throw Python(
                "xmlrpc.client.ResponseError",
                "ResponseError()",
                XmlRpcParseErrorKind.InvalidMessage,
                _doc.Length,
                "not an XML-RPC message: no </params>, </fault> or </methodName> end tag");
        }

        if (_type == TypeFault)
        {
            if (_s.StackCount == 0)
            {
                throw Python("IndexError", "list index out of range", XmlRpcParseErrorKind.InvalidMessage, _doc.Length, "the fault has no value");
            }

            var value = AsValue(_s.Stack[0].Item);
            return XmlRpcFault.TryFromValue(value, out var fault, out var error)
                ? new XmlRpcMessage(_methodName, [], fault)
                : throw Python("TypeError", FaultTypeError(value), XmlRpcParseErrorKind.InvalidMessage, _doc.Length, "invalid fault: " + error);
        }

        var parameters = _s.StackCount == 0 ? [] : new XmlRpcValue[_s.StackCount];
        for (var i = 0; i < parameters.Length; i++)
        {
            parameters[i] = AsValue(_s.Stack[i].Item);
        }

        return new XmlRpcMessage(_methodName, parameters, null);
    }

    private string MakeString(ReadOnlySpan<byte> utf8)
    {
        CheckStringLength(utf8);
        return _s.GetString(utf8);
    }

    /// <summary>A string value (pushed as a value, not a string: a struct still takes it as a member name, as CPython does).</summary>
    private XmlRpcValue MakeStringValue(ReadOnlySpan<byte> utf8)
    {
        CheckStringLength(utf8);
        return _s.GetStringValue(utf8);
    }

    private readonly void CheckStringLength(ReadOnlySpan<byte> utf8)
    {
        if (utf8.Length > _options.MaxStringLength && Encoding.UTF8.GetCharCount(utf8) > _options.MaxStringLength)
        {
            throw Fail($"a string is longer than MaxStringLength ({_options.MaxStringLength.ToString(CultureInfo.InvariantCulture)})", XmlRpcParseErrorKind.LimitExceeded, _tagStart);
        }
    }

    private XmlRpcValue MakeInteger(ReadOnlySpan<byte> text)
    {
        // Fast path: [ws] [sign] 1..18 ASCII digits [ws], no more than MaxIntegerDigits of them.
        var t = text.Trim(" \t\n\r"u8);
        if (t.Length is > 0 and <= 19)
        {
            var i = 0;
            var negative = false;
            if (t[0] is (byte)'+' or (byte)'-')
            {
                negative = t[0] == '-';
                i = 1;
            }

            // Within MaxIntegerDigits only: the slow path reports a longer digit string (leading zeros count, as in CPython).
            if (i < t.Length && t.Length - i <= 18 && t.Length - i <= _options.MaxIntegerDigits)
            {
                long acc = 0;
                for (; i < t.Length; i++)
                {
                    var d = (uint)(t[i] - '0');
                    if (d > 9)
                    {
                        break;
                    }

                    acc = (acc * 10) + d;
                }

                if (i == t.Length)
                {
                    return XmlRpcValue.Integer(negative ? -acc : acc);
                }
            }
        }

        var s = Encoding.UTF8.GetString(text);
        return PythonText.ParseInt(s, _options.MaxIntegerDigits, out var small, out var big, out var isBig, out var digits) switch
        {
            PythonText.IntResult.Ok => isBig ? XmlRpcValue.Integer(big) : XmlRpcValue.Integer(small),
            PythonText.IntResult.TooManyDigits => throw TooManyDigits(digits),
            _ => throw Python("ValueError", "invalid literal for int() with base 10: " + PythonText.Repr(s, 200), XmlRpcParseErrorKind.InvalidValue, _tagStart),
        };
    }

    private XmlRpcValue MakeDouble(ReadOnlySpan<byte> text)
    {
        if (TryFastDouble(text, out var fast))
        {
            return XmlRpcValue.FromDouble(fast);
        }

        if (IsPlainDecimal(text) && double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var plain))
        {
            return XmlRpcValue.FromDouble(plain);
        }

        bool ok;
        double value;
        if (text.Length <= 128 && !text.ContainsAnyExceptInRange((byte)0, (byte)0x7F))
        {
            Span<char> chars = stackalloc char[text.Length];
            for (var i = 0; i < text.Length; i++)
            {
                chars[i] = (char)text[i];
            }

            ok = PythonFloat.TryParse(chars, out value);
        }
        else
        {
            ok = PythonFloat.TryParse(Encoding.UTF8.GetString(text), out value);
        }

        return ok
            ? XmlRpcValue.FromDouble(value)
            : throw Python("ValueError", "could not convert string to float: " + PythonText.Repr(Encoding.UTF8.GetString(text)), XmlRpcParseErrorKind.InvalidValue, _tagStart);
    }

    /// <summary><c>[+-]?[0-9]+(\.[0-9]*)?([eE][+-]?[0-9]+)?</c>: text .NET and Python read the same way.</summary>
    private static ReadOnlySpan<double> PowersOfTen =>
    [
        1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
    ];

    /// <summary>
    /// <c>[-]digits[.digits]</c> with at most 15 significant digits and 22 fraction digits: the mantissa and the power of
    /// ten are exact doubles, so one IEEE division is correctly rounded (Clinger's fast path) and equals what
    /// <c>float()</c> returns. Everything else goes to the general parser.
    /// </summary>
    private static bool TryFastDouble(ReadOnlySpan<byte> t, out double value)
    {
        value = 0;
        var i = 0;
        var negative = false;
        if (t.Length > 0 && t[0] == '-')
        {
            negative = true;
            i = 1;
        }

        long mantissa = 0;
        var digits = 0;
        var fraction = -1;
        for (; i < t.Length; i++)
        {
            var d = (uint)(t[i] - '0');
            if (d <= 9)
            {
                mantissa = (mantissa * 10) + d;
                digits++;
                if (fraction >= 0)
                {
                    fraction++;
                }
            }
            else if (t[i] == '.' && fraction < 0)
            {
                fraction = 0;
            }
            else
            {
                return false;
            }
        }

        if (digits is 0 or > 15 || fraction > 22)
        {
            return false;
        }

        value = fraction > 0 ? mantissa / PowersOfTen[fraction] : mantissa;
        if (negative)
        {
            value = -value;
        }

        return true;
    }

    private static bool IsPlainDecimal(ReadOnlySpan<byte> t)
    {
        var i = 0;
        if (i < t.Length && t[i] is (byte)'+' or (byte)'-')
        {
            i++;
        }

        var digits = i;
        while (i < t.Length && (uint)(t[i] - '0') <= 9)
        {
            i++;
        }

        if (i == digits || i > 400)
        {
            return false;
        }

        if (i < t.Length && t[i] == '.')
        {
            i++;
            while (i < t.Length && (uint)(t[i] - '0') <= 9)
            {
                i++;
            }
        }

        if (i < t.Length && t[i] is (byte)'e' or (byte)'E')
        {
            i++;
            if (i < t.Length && t[i] is (byte)'+' or (byte)'-')
            {
                i++;
            }

            var expDigits = i;
            while (i < t.Length && (uint)(t[i] - '0') <= 9)
            {
                i++;
            }

            if (i == expDigits)
            {
                return false;
            }
        }

        return i == t.Length;
    }

    private XmlRpcValue MakeBase64(ReadOnlySpan<byte> text)
    {
        var max = PythonBase64.MaxDecodedLength(text.Length);
        if (max > _options.MaxBase64Length)
        {
            var chars = 0;
            foreach (var b in text)
            {
                if (char.IsAsciiLetterOrDigit((char)b) || b is (byte)'+' or (byte)'/')
                {
                    chars++;
                }
            }

            if ((long)chars * 3 / 4 > _options.MaxBase64Length)
            {
                throw Fail($"a base64 value decodes to more than MaxBase64Length ({_options.MaxBase64Length.ToString(CultureInfo.InvariantCulture)}) bytes", XmlRpcParseErrorKind.LimitExceeded, _tagStart);
            }
        }

        byte[]? rented = null;
        var buffer = max <= 512 ? stackalloc byte[max] : (rented = ArrayPool<byte>.Shared.Rent(max));
        try
        {
            var result = PythonBase64.Decode(text, buffer, out var written);
            return result switch
            {
                PythonBase64.Result.Ok => XmlRpcValue.CreateBase64Owned(buffer[..written].ToArray()),
                PythonBase64.Result.NonAscii => throw NonAsciiBase64(text),
                PythonBase64.Result.InvalidLength => throw Python(
                    "binascii.Error",
                    $"Invalid base64-encoded string: number of data characters ({((written / 3 * 4) + 1).ToString(CultureInfo.InvariantCulture)}) cannot be 1 more than a multiple of 4",
                    XmlRpcParseErrorKind.InvalidValue,
                    _tagStart),
                _ => throw Python("binascii.Error", "Incorrect padding", XmlRpcParseErrorKind.InvalidValue, _tagStart),
            };
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }

    private static string Shorten(ReadOnlySpan<byte> text)
    {
        var s = Encoding.UTF8.GetString(text.Length > 80 ? text[..80] : text);
        return text.Length > 80 ? s + "..." : s;
    }

    // ---------------------------------------------------------------------------------------------
    // Errors and character classes

    private readonly XmlRpcParseException InvalidToken(int offset) =>
        offset >= _doc.Length
            ? Expat("unclosed token", XmlRpcParseErrorKind.NotWellFormed, _tagStart)
            : Expat("not well-formed (invalid token)", _doc[offset] < 0x20 || _doc[offset] >= 0x80 ? XmlRpcParseErrorKind.InvalidCharacter : XmlRpcParseErrorKind.NotWellFormed, offset);

    /// <summary>How many bytes expat's UTF-8 tokenizer reads for a character with this lead byte (0: never a lead byte).</summary>
    private static int LeadLength(byte b) => b switch
    {
        >= 0xC0 and <= 0xDF => 2,
        >= 0xE0 and <= 0xEF => 3,
        >= 0xF0 and <= 0xF4 => 4,
        _ => 0,
    };

    /// <summary>Does the document end before the character at <paramref name="p"/> does? Expat decides by the lead byte alone (a partial character), before it checks the bytes.</summary>
    private readonly bool CutShort(int p) => _doc.Length - p < LeadLength(_doc[p]);

    /// <summary>A character the document cuts short inside markup: expat's partial character, at the token's start.</summary>
    private readonly XmlRpcParseException PartialCharacter() =>
        Expat("partial character", XmlRpcParseErrorKind.InvalidCharacter, _tagStart, "the document ends inside a UTF-8 sequence");

    /// <summary>
    /// What is not allowed before or after the root element, as expat's prolog tokenizer (<c>prologTok</c>) sees it:
    /// a token the document cuts short is unclosed, a cut character partial (both at the token's start), a bad byte an
    /// invalid token where the tokenizer stops; a complete token (a name, a literal, <c>% # [ ] &gt; ( ) | ,</c>,
    /// <c>&lt;!x </c>, a start tag after the root) is a syntax error before the root and junk after it.
    /// </summary>
    private readonly XmlRpcParseException OutsideRoot(int offset, bool afterRoot)
    {
        var (token, at) = PrologToken(offset);
        return token switch
        {
            PrologTokenKind.Partial => Expat("unclosed token", XmlRpcParseErrorKind.NotWellFormed, offset),
            PrologTokenKind.PartialChar => Expat("partial character", XmlRpcParseErrorKind.InvalidCharacter, offset, "the document ends inside a UTF-8 sequence"),
            PrologTokenKind.Invalid => Expat("not well-formed (invalid token)", at < _doc.Length && (_doc[at] < 0x20 || _doc[at] >= 0x80) ? XmlRpcParseErrorKind.InvalidCharacter : XmlRpcParseErrorKind.NotWellFormed, at),
            _ => afterRoot
                ? Expat("junk after document element", XmlRpcParseErrorKind.NotWellFormed, offset)
                : Expat("syntax error", XmlRpcParseErrorKind.NotWellFormed, offset, "text before the root element"),
        };
    }

    private enum PrologTokenKind
    {
        Complete,
        Partial,
        PartialChar,
        Invalid,
    }

    /// <summary>Expat's <c>prologTok</c> (with <c>scanLit</c>, <c>scanDecl</c>, <c>scanPercent</c>, <c>scanPoundName</c>) over UTF-8, for the token at <paramref name="p"/>; <c>At</c> is where an invalid token is reported.</summary>
    private readonly (PrologTokenKind Kind, int At) PrologToken(int p)
    {
        var doc = _doc;
        var b = doc[p];
        switch (b)
        {
            case (byte)'"' or (byte)'\'':
                for (var i = p + 1; i < doc.Length;)
                {
                    var c = doc[i];
                    if (c == b)
                    {
                        i++;
                        return i >= doc.Length || IsSpace(doc[i]) || doc[i] is (byte)'>' or (byte)'%' or (byte)'['
                            ? (PrologTokenKind.Complete, 0)
                            : (PrologTokenKind.Invalid, i);
                    }

                    var (kind, length) = CharAt(i);
                    if (kind != PrologTokenKind.Complete)
                    {
                        return (kind, i);
                    }

                    i += length;
                }

                return (PrologTokenKind.Partial, 0);
            case (byte)'<':
                if (p + 1 >= doc.Length)
                {
                    return (PrologTokenKind.Partial, 0);
                }

                if (doc[p + 1] == '!')
                {
                    return DeclarationOpen(p + 2);
                }

                // A start tag (or a processing instruction, which the caller has read already).
                return doc[p + 1] is (byte)'?' or >= 0xC0 and <= 0xF4 || (doc[p + 1] < 0x80 && (AsciiName[doc[p + 1]] & NameStartFlag) != 0)
                    ? (PrologTokenKind.Complete, 0)
                    : (PrologTokenKind.Invalid, p + 1);
            case (byte)'%' or (byte)'#':
                if (p + 1 >= doc.Length)
                {
                    return (PrologTokenKind.Partial, 0);
                }

                if (b == '%' && (IsSpace(doc[p + 1]) || doc[p + 1] == '%'))
                {
                    return (PrologTokenKind.Complete, 0);
                }

                var (start, startLength) = NameCharAt(p + 1, start: true);
                if (start != PrologTokenKind.Complete)
                {
                    return (start, p + 1);
                }

                // %name; (a parameter entity reference) or #name (#PCDATA and the like).
                var (end, stop) = NameRest(p + 1 + startLength);
                return end == PrologTokenKind.Partial && b == '#' ? (PrologTokenKind.Complete, 0)
                    : end != PrologTokenKind.Complete ? (end, stop)
                    : b == '%' ? (doc[stop] == ';' ? (PrologTokenKind.Complete, 0) : (PrologTokenKind.Invalid, stop))
                    : IsSpace(doc[stop]) || doc[stop] is (byte)')' or (byte)'>' or (byte)'%' or (byte)'|' ? (PrologTokenKind.Complete, 0) : (PrologTokenKind.Invalid, stop);
            case (byte)']':
                // "]]" needs a third character to tell "]]>" from "]".
                return p + 2 == doc.Length && doc[p + 1] == ']' ? (PrologTokenKind.Partial, 0) : (PrologTokenKind.Complete, 0);
            case (byte)')':
                return p + 1 >= doc.Length || IsSpace(doc[p + 1]) || doc[p + 1] is (byte)'*' or (byte)'?' or (byte)'+' or (byte)'>' or (byte)',' or (byte)'|' or (byte)')'
                    ? (PrologTokenKind.Complete, 0)
                    : (PrologTokenKind.Invalid, p + 1);
            case (byte)',' or (byte)'[' or (byte)'|' or (byte)'>' or (byte)'(':
                return (PrologTokenKind.Complete, 0);
        }

        // A name (or a name token: digits, '-', '.', non-initial letters), up to a delimiter.
        var (first, firstLength) = NameCharAt(p, start: false);
        if (first != PrologTokenKind.Complete)
        {
            return (first, p);
        }

        var nmtoken = NameCharAt(p, start: true).Kind != PrologTokenKind.Complete;
        var (rest, restStop) = NameRest(p + firstLength);
        if (rest != PrologTokenKind.Complete)
        {
            return rest == PrologTokenKind.Partial ? (PrologTokenKind.Complete, 0) : (rest, restStop);
        }

        var d = doc[restStop];
        return IsSpace(d) || d is (byte)'>' or (byte)')' or (byte)',' or (byte)'|' or (byte)'[' or (byte)'%'
            || (!nmtoken && d is (byte)'+' or (byte)'*' or (byte)'?')
            ? (PrologTokenKind.Complete, 0)
            : (PrologTokenKind.Invalid, restStop);
    }

    /// <summary>Expat's <c>scanDecl</c> after <c>&lt;!</c> (a comment was read by the caller): <c>&lt;!-</c> and <c>&lt;!NAME</c> cut short are unclosed.</summary>
    private readonly (PrologTokenKind Kind, int At) DeclarationOpen(int p)
    {
        if (p >= _doc.Length)
        {
            return (PrologTokenKind.Partial, 0);
        }

        if (_doc[p] == '-')
        {
            return p + 1 >= _doc.Length ? (PrologTokenKind.Partial, 0) : (PrologTokenKind.Invalid, p + 1);
        }

        if (_doc[p] == '[')
        {
            return (PrologTokenKind.Complete, 0);
        }

        if (!IsAsciiLetter(_doc[p]) && _doc[p] is not ((byte)'_' or (byte)':'))
        {
            return (PrologTokenKind.Invalid, p);
        }

        for (var i = p + 1; i < _doc.Length; i++)
        {
            var c = _doc[i];
            if (c == '%')
            {
                return i + 1 >= _doc.Length ? (PrologTokenKind.Partial, 0)
                    : IsSpace(_doc[i + 1]) || _doc[i + 1] == '%' ? (PrologTokenKind.Invalid, i)
                    : (PrologTokenKind.Complete, 0);
            }

            if (IsSpace(c))
            {
                return (PrologTokenKind.Complete, 0);
            }

            if (!IsAsciiLetter(c) && c is not ((byte)'_' or (byte)':'))
            {
                return (PrologTokenKind.Invalid, i);
            }
        }

        return (PrologTokenKind.Partial, 0);
    }

    /// <summary>Name characters from <paramref name="p"/> on: Complete with the offset of the first other byte, Partial at the end of the document, or the cut/bad character.</summary>
    private readonly (PrologTokenKind Kind, int At) NameRest(int p)
    {
        while (p < _doc.Length)
        {
            if (_doc[p] < 0x80 && (AsciiName[_doc[p]] & NameCharFlag) == 0)
            {
                return (PrologTokenKind.Complete, p);
            }

            var (kind, length) = NameCharAt(p, start: false);
            if (kind != PrologTokenKind.Complete)
            {
                return (kind, p);
            }

            p += length;
        }

        return (PrologTokenKind.Partial, 0);
    }

    /// <summary>Is the character at <paramref name="p"/> a name (start) character? Invalid when not, PartialChar when the document cuts it.</summary>
    private readonly (PrologTokenKind Kind, int Length) NameCharAt(int p, bool start)
    {
        var b = _doc[p];
        if (b < 0x80)
        {
            return (AsciiName[b] & (start ? NameStartFlag : NameCharFlag)) != 0 ? (PrologTokenKind.Complete, 1) : (PrologTokenKind.Invalid, 0);
        }

        var (kind, length) = CharAt(p);
        if (kind != PrologTokenKind.Complete)
        {
            return (kind, 0);
        }

        Rune.DecodeFromUtf8(_doc[p..], out var rune, out _);
        return (start ? ExpatNames.IsStart(rune.Value) : ExpatNames.IsName(rune.Value)) ? (PrologTokenKind.Complete, length) : (PrologTokenKind.Invalid, 0);
    }

    /// <summary>
    /// One character as expat's UTF-8 tokenizer classifies it: Complete (an XML character) with its length, PartialChar
    /// when its lead byte announces more bytes than the document has left, Invalid otherwise.
    /// </summary>
    private readonly (PrologTokenKind Kind, int Length) CharAt(int p)
    {
        var b = _doc[p];
        if (b < 0x80)
        {
            return b < 0x20 && !IsSpace(b) ? (PrologTokenKind.Invalid, 0) : (PrologTokenKind.Complete, 1);
        }

        var need = LeadLength(b);
        if (need == 0)
        {
            return (PrologTokenKind.Invalid, 0);
        }

        if (CutShort(p))
        {
            return (PrologTokenKind.PartialChar, 0);
        }

        return Rune.DecodeFromUtf8(_doc.Slice(p, need), out var rune, out var n) == OperationStatus.Done && n == need && XmlCharacters.IsXmlChar(rune.Value)
            ? (PrologTokenKind.Complete, need)
            : (PrologTokenKind.Invalid, 0);
    }

    /// <summary>
    /// Bytes that are not UTF-8 from <paramref name="start"/> on: expat's invalid token at the first bad sequence, or a
    /// partial character when the document ends inside one, reported where its token starts (<see cref="_tagStart"/> inside
    /// markup; in character data the cut character is a token of its own).
    /// </summary>
    private readonly XmlRpcParseException InvalidUtf8(int start, bool inToken)
    {
        var at = start;
        while (Rune.DecodeFromUtf8(_doc[at..], out _, out var consumed) == OperationStatus.Done)
        {
            at += consumed;
        }

        return CutShort(at)
            ? Expat("partial character", XmlRpcParseErrorKind.InvalidCharacter, inToken ? _tagStart : at, "the document ends inside a UTF-8 sequence")
            : Expat("not well-formed (invalid token)", XmlRpcParseErrorKind.InvalidCharacter, at, "bytes that are not UTF-8");
    }

    /// <summary>An error expat reports: CPython's <c>ExpatError</c>, with expat's line and 0-based column in characters.</summary>
    private readonly XmlRpcParseException Expat(string expatMessage, XmlRpcParseErrorKind kind, int offset, string? detail = null)
    {
        var (line, column, characters) = Position(offset);
        return new XmlRpcParseException(detail is null ? expatMessage : expatMessage + ": " + detail, kind, line, column)
        {
            PythonType = "xml.parsers.expat.ExpatError",
            PythonMessage = string.Format(CultureInfo.InvariantCulture, "{0}: line {1}, column {2}", expatMessage, line, characters),
        };
    }

    /// <summary>An exception CPython's unmarshaller raises (<c>ValueError</c>, <c>TypeError</c>...), with its text.</summary>
    private readonly XmlRpcParseException Python(string type, string message, XmlRpcParseErrorKind kind, int offset, string? reason = null)
    {
        var (line, column, _) = Position(offset);
        return new XmlRpcParseException(reason ?? message, kind, line, column) { PythonType = type, PythonMessage = message };
    }

    /// <summary>Python's <c>int()</c> past <c>sys.get_int_max_str_digits()</c> (CVE-2020-10735), naming the digits of the run read.</summary>
    private readonly XmlRpcParseException TooManyDigits(int digits)
    {
        var limit = _options.MaxIntegerDigits.ToString(CultureInfo.InvariantCulture);
        return Python(
            "ValueError",
            $"Exceeds the limit ({limit} digits) for integer string conversion: value has {digits.ToString(CultureInfo.InvariantCulture)} digits; use sys.set_int_max_str_digits() to increase the limit",
            XmlRpcParseErrorKind.LimitExceeded,
            _tagStart);
    }

    /// <summary>CPython's <c>text.encode("ascii")</c> of base64 text: <c>UnicodeEncodeError</c> naming the first run of non-ASCII characters.</summary>
    private readonly XmlRpcParseException NonAsciiBase64(ReadOnlySpan<byte> utf8)
    {
        var runes = Encoding.UTF8.GetString(utf8).EnumerateRunes().ToList();
        var first = runes.FindIndex(r => r.Value >= 0x80);
        var end = first;
        while (end < runes.Count && runes[end].Value >= 0x80)
        {
            end++;
        }

        var c = runes[first].Value;
        var escaped = c < 0x100 ? "\\x" + c.ToString("x2", CultureInfo.InvariantCulture)
            : c < 0x10000 ? "\\u" + c.ToString("x4", CultureInfo.InvariantCulture)
            : "\\U" + c.ToString("x8", CultureInfo.InvariantCulture);
        var message = end - first == 1
            ? string.Format(CultureInfo.InvariantCulture, "'ascii' codec can't encode character '{0}' in position {1}: ordinal not in range(128)", escaped, first)
            : string.Format(CultureInfo.InvariantCulture, "'ascii' codec can't encode characters in position {0}-{1}: ordinal not in range(128)", first, end - 1);
        return Python("UnicodeEncodeError", message, XmlRpcParseErrorKind.InvalidValue, _tagStart);
    }

    private readonly XmlRpcParseException Fail(string message, XmlRpcParseErrorKind kind, int offset)
    {
        var (line, column, _) = Position(offset);
        return new XmlRpcParseException(message, kind, line, column);
    }

    /// <summary>The 1-based line, the 1-based position in UTF-16 units, and expat's 0-based column in characters.</summary>
    private readonly (int Line, int Column, int Characters) Position(int offset)
    {
        offset = Math.Clamp(offset, 0, _doc.Length);
        var line = 1;
        var lineStart = 0;
        var before = _doc[..offset];
        for (var i = 0; i < before.Length; i++)
        {
            var b = before[i];
            if (b == '\n' || (b == '\r' && (i + 1 >= _doc.Length || _doc[i + 1] != '\n')))
            {
                line++;
                lineStart = i + 1;
            }
        }

        var text = _doc[lineStart..offset];

        // Expat counts a byte order mark as a character of the first line.
        var characters = text.Length - CountContinuationBytes(text) + (line == 1 && _origin is DocumentOrigin.Utf8Bom or DocumentOrigin.Utf16LittleEndianBom or DocumentOrigin.Utf16BigEndianBom ? 1 : 0);
        return (line, Encoding.UTF8.GetCharCount(text) + 1, characters);
    }

    private static int CountContinuationBytes(ReadOnlySpan<byte> text)
    {
        var count = 0;
        foreach (var b in text)
        {
            count += (b & 0xC0) == 0x80 ? 1 : 0;
        }

        return count;
    }

    private static bool IsSpace(byte b) => b is (byte)' ' or (byte)'\t' or (byte)'\n' or (byte)'\r';

    private static bool IsAsciiLetter(byte b) => (uint)((b | 0x20) - 'a') <= 'z' - 'a';

    private static byte[] CreateAsciiNameTable()
    {
        var table = new byte[128];
        for (var c = 'a'; c <= 'z'; c++)
        {
            table[c] = NameStartFlag | NameCharFlag;
            table[c - 32] = NameStartFlag | NameCharFlag;
        }

        table['_'] = NameStartFlag | NameCharFlag;
        table[':'] = NameStartFlag | NameCharFlag;
        for (var c = '0'; c <= '9'; c++)
        {
            table[c] = NameCharFlag;
        }

        table['-'] = NameCharFlag;
        table['.'] = NameCharFlag;
        return table;
    }

    private static byte[] CreateTextPlain()
    {
        var table = new byte[256];
        Array.Fill(table, (byte)1);
        foreach (var b in CreateTextStop())
        {
            table[b] = 0;
        }

        return table;
    }

    private static byte[] CreateTextStop()
    {
        var stops = new List<byte> { (byte)'<', (byte)'&', (byte)']', (byte)'\r' };
        for (var b = 0; b < 0x20; b++)
        {
            if (b is not ('\t' or '\n' or '\r'))
            {
                stops.Add((byte)b);
            }
        }

        for (var b = 0x80; b <= 0xFF; b++)
        {
            stops.Add((byte)b);
        }

        return [.. stops];
    }
}
