using System.Buffers;
using System.Collections.Concurrent;
using System.Collections.Frozen;
using System.Globalization;
using System.Text;

namespace XmlRpc.Internal;

/// <summary>
/// A single-byte encoding with CPython's table: .NET's code page, corrected where CPython's codec of the same name differs.
/// Both directions use it, so what the formatter writes is what CPython's <c>encode(name, 'xmlcharrefreplace')</c> writes,
/// and what the parser refuses is what pyexpat refuses.
/// </summary>
/// <remarks>
/// .NET's code pages map bytes CPython leaves undefined to C1 controls or private-use characters (windows-1252 0x81 is
/// U+0081 in .NET, undefined in CPython, so expat reports "not well-formed (invalid token)"), and a few code pages follow
/// an older version of the standard (iso-8859-7 has no euro sign in .NET). pyexpat builds its table by decoding the 256
/// bytes with the Python codec, and CPython's charmap encoders are the inverse of the decoding table, so one decoding
/// table per code page describes CPython in both directions.
/// </remarks>
internal sealed class SingleByteCodec
{
    private const char Undefined = '\uFFFF';

    /// <summary>
    /// Where CPython 3.11's codec differs from .NET's code page: <c>XX</c> is a byte CPython leaves undefined, <c>XX=YYYY</c>
    /// a byte CPython decodes to U+YYYY. Made by decoding every byte with both, for each single-byte code page of .NET's
    /// <see cref="CodePagesEncodingProvider"/> whose name CPython's <c>codecs.lookup</c> knows.
    /// </summary>
    private static readonly FrozenDictionary<int, string> Corrections = new Dictionary<int, string>
    {
        [708] = "80=0080 81=0081 82=0082 83=0083 84=0084 85=0085 86=0086 87=0087 88=0088 89=0089 8A=008A 8B=008B 8C=008C 8D=008D 8E=008E 8F=008F 90=0090 91=0091 92=0092 93=0093 94=0094 95=0095 96=0096 97=0097 98=0098 99=0099 A0=00A0 A1 A2 A3 A5 A6 A7 A8 A9 AA AB AD=00AD AE AF B0 B1 B2 B3 B4 B5 B6 B7 B8 B9 BA BC BD BE C0 DB DC DD DE DF F3 F4 F5 F6 F7 F8 F9 FA FB FC FD FE FF", // ASMO-708, CPython iso8859-6
        [857] = "D5 E7 F2", // ibm857, CPython cp857
        [864] = "25=066A 9B 9C 9F A6 A7 FF", // IBM864, CPython cp864
        [869] = "80 81 82 83 84 85 87 93 94", // ibm869, CPython cp869
        [875] = "DC=001A E1=001A EC=001A ED=001A FC=001A FD=001A", // cp875, CPython cp875
        [1250] = "81 83 88 90 98", // windows-1250, CPython cp1250
        [1251] = "98", // windows-1251, CPython cp1251
        [1252] = "81 8D 8F 90 9D", // windows-1252, CPython cp1252
        [1253] = "81 88 8A 8C 8D 8E 8F 90 98 9A 9C 9D 9E 9F AA D2 FF", // windows-1253, CPython cp1253
        [1254] = "81 8D 8E 8F 90 9D 9E", // windows-1254, CPython cp1254
        [1255] = "81 8A 8C 8D 8E 8F 90 9A 9C 9D 9E 9F CA D9 DA DB DC DD DE DF FB FC FF", // windows-1255, CPython cp1255
        [1257] = "81 83 88 8A 8C 90 98 9A 9C 9F A1 A5", // windows-1257, CPython cp1257
        [1258] = "81 8A 8D 8E 8F 90 9A 9D 9E", // windows-1258, CPython cp1258
        [10000] = "BD=03A9", // macintosh, CPython mac-roman
        [20273] = "BC=203E", // IBM273, CPython cp273
        [20424] = "B3=00B7 BC=00AF", // IBM424, CPython cp424
        [21866] = "AE=255D BE=256C", // koi8-u, CPython koi8-u
        [28593] = "A5 AE BE C3 D0 E3 F0", // iso-8859-3, CPython iso8859-3
        [28596] = "A1 A2 A3 A5 A6 A7 A8 A9 AA AB AE AF B0 B1 B2 B3 B4 B5 B6 B7 B8 B9 BA BC BD BE C0 DB DC DD DE DF F3 F4 F5 F6 F7 F8 F9 FA FB FC FD FE FF", // iso-8859-6, CPython iso8859-6
        [28597] = "A1=2018 A2=2019 A4=20AC A5=20AF AA=037A AE D2 FF", // iso-8859-7, CPython iso8859-7
        [28598] = "A1 AF=00AF BF C0 C1 C2 C3 C4 C5 C6 C7 C8 C9 CA CB CC CD CE CF D0 D1 D2 D3 D4 D5 D6 D7 D8 D9 DA DB DC DD DE FB FC FD=200E FE=200F FF", // iso-8859-8, CPython iso8859-8
    }.ToFrozenDictionary();

    private static readonly ConcurrentDictionary<int, SingleByteCodec> Cache = new();

    private readonly char[] _decode = new char[256];
    private readonly Dictionary<char, byte> _encode = [];
    private readonly bool _asciiCompatible;

    private SingleByteCodec(Encoding encoding)
    {
        Name = encoding.WebName;
        // Undefined bytes must throw, whatever fallback the caller's instance has.
        var strict = (Encoding)encoding.Clone();
        strict.DecoderFallback = DecoderFallback.ExceptionFallback;
        Span<byte> one = stackalloc byte[1];
        Span<char> chars = stackalloc char[2];
        for (var b = 0; b < 256; b++)
        {
            one[0] = (byte)b;
            try
            {
                _decode[b] = strict.GetChars(one, chars) == 1 ? chars[0] : Undefined;
            }
            catch (DecoderFallbackException)
            {
                _decode[b] = Undefined;
            }
        }

        if (Corrections.TryGetValue(encoding.CodePage, out var corrections))
        {
            foreach (var token in corrections.Split(' '))
            {
                var b = byte.Parse(token.AsSpan(0, 2), NumberStyles.HexNumber, CultureInfo.InvariantCulture);
                _decode[b] = token.Length == 2 ? Undefined : (char)ushort.Parse(token.AsSpan(3), NumberStyles.HexNumber, CultureInfo.InvariantCulture);
            }
        }

        var undefined = new List<byte>();
        _asciiCompatible = true;
        for (var b = 0; b < 256; b++)
        {
            var c = _decode[b];
            if (c == Undefined)
            {
                undefined.Add((byte)b);
                continue;
            }

            // The highest byte wins when several decode to one character, as in CPython's encoding map ('\x1a'.encode('cp875') is 0xFD).
            _encode[c] = (byte)b;
            if (b < 0x80 && c != b)
            {
                _asciiCompatible = false;
            }
        }

        UndefinedBytes = SearchValues.Create([.. undefined]);
    }

    /// <summary>The .NET name of the code page.</summary>
    public string Name { get; }

    /// <summary>The bytes CPython's codec leaves undefined.</summary>
    private SearchValues<byte> UndefinedBytes { get; }

    /// <summary>The codec for a single-byte .NET encoding.</summary>
    public static SingleByteCodec For(Encoding encoding) => Cache.GetOrAdd(encoding.CodePage, static (_, e) => new SingleByteCodec(e), encoding);

    /// <summary>
    /// Decodes; a byte CPython's codec leaves undefined becomes U+0001, which XML forbids everywhere, so the reader fails
    /// on it where expat would (expat's unknown-encoding map makes such a byte malformed). Returns false with the offset
    /// of the first undefined byte when there is one.
    /// </summary>
    public bool TryDecode(ReadOnlySpan<byte> bytes, out string text, out int badIndex)
    {
        badIndex = bytes.IndexOfAny(UndefinedBytes);
        var buffer = ArrayPool<char>.Shared.Rent(Math.Max(bytes.Length, 1));
        try
        {
            for (var i = 0; i < bytes.Length; i++)
            {
                buffer[i] = _decode[bytes[i]];
            }

            if (badIndex >= 0)
            {
                for (var i = badIndex; i < bytes.Length; i++)
                {
                    if (UndefinedBytes.Contains(bytes[i]))
                    {
                        buffer[i] = '\u0001';
                    }
                }
            }

            text = new string(buffer, 0, bytes.Length);
            return badIndex < 0;
        }
        finally
        {
            ArrayPool<char>.Shared.Return(buffer);
        }
    }

    /// <summary>Encodes like CPython's <c>text.encode(name, 'xmlcharrefreplace')</c>: a character the table lacks becomes <c>&amp;#N;</c> (decimal code point).</summary>
    public void Encode(ReadOnlySpan<char> text, IBufferWriter<byte> output)
    {
        // "&#1114111;" is the longest replacement: 10 bytes.
        const int Room = 16;
        var span = output.GetSpan(4096);
        var n = 0;
        Span<char> reference = stackalloc char[12];
        for (var i = 0; i < text.Length; i++)
        {
            if (span.Length - n < Room)
            {
                output.Advance(n);
                span = output.GetSpan(4096);
                n = 0;
            }

            var c = text[i];
            if (c < 0x80 && _asciiCompatible)
            {
                span[n++] = (byte)c;
                continue;
            }

            if (_encode.TryGetValue(c, out var b))
            {
                span[n++] = b;
                continue;
            }

            var codePoint = (int)c;
            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                codePoint = char.ConvertToUtf32(c, text[++i]);
            }

            // The reference is text too: CPython encodes the replacement with the same table (it matters for EBCDIC;
            // every table here has '&', '#', the digits and ';').
            reference[0] = '&';
            reference[1] = '#';
            codePoint.TryFormat(reference[2..], out var digits, provider: CultureInfo.InvariantCulture);
            reference[2 + digits] = ';';
            foreach (var r in reference[..(3 + digits)])
            {
                span[n++] = _encode.TryGetValue(r, out var rb) ? rb : (byte)'?';
            }
        }

        output.Advance(n);
    }
}
